/**
 * Step 4: connect to the target with a connection profile (or the built-in emulator
 * for drills). A device-code sign-in shows its code and URL while it waits. The
 * preflight shows the tenant, the state it is in and the permissions held vs needed;
 * a missing permission blocks here with the list of what to grant.
 */
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { ConnectTarget, Preflight, TenantState } from '../services.js';
import { useWizard } from '../context.js';
import { blockedReason } from '../state.js';
import { StepLayout, T, fit, pad, toShown, useKeys } from '../ui.js';
import { TextField } from '../text-field.js';

const STATE_TEXT: Record<TenantState, string> = {
  empty: 'empty tenant (only the initial admin)',
  adminsPresent: 'admins present',
  noAdmins: 'no Global Administrator left',
};

export function ConnectStep(): React.JSX.Element {
  const { state, dispatch, services, setWaitController } = useWizard();
  const fixed = state.mode === 'resume' && state.journal ? state.journal.target : null;
  const initialEmulator = fixed ? 'emulator' in fixed : state.scenario === 'drill';
  const [useEmulator, setUseEmulator] = useState(state.target ? 'emulator' in state.target : initialEmulator);
  const [profilePath, setProfilePath] = useState(
    state.target && 'profilePath' in state.target ? state.target.profilePath : fixed && 'profilePath' in fixed ? fixed.profilePath : '',
  );
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  // `typed`: the field's value at its Enter, which may be newer than this render's state.
  const connect = (typed: string = profilePath): void => {
    const path = typed.trim();
    const target: ConnectTarget = useEmulator ? { emulator: true } : { profilePath: path };
    if (!useEmulator && path === '') {
      dispatch({ type: 'failed', error: { code: 'USAGE', message: 'type the path of the target connection profile', hint: 'or press tab to use the built-in emulator' } });
      return;
    }
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    dispatch({ type: 'busy', message: 'signing in and running the preflight' });
    setWaitController(c);
    services.connect(target, { onDeviceCode: (prompt) => dispatch({ type: 'deviceCode', prompt }), signal: c.signal }).then(
      (preflight) => !c.signal.aborted && dispatch({ type: 'connected', target, preflight }),
      (e: unknown) => !c.signal.aborted && dispatch({ type: 'failed', error: toShown(e) }),
    );
  };

  const editing = !state.preflight;
  useKeys(
    (input, key) => {
      if (key.escape) {
        dispatch({ type: 'back' });
        return;
      }
      if (editing) {
        if (key.tab && !fixed) setUseEmulator((u) => !u);
        else if (key.return && useEmulator) connect();
        return;
      }
      if (input === 'r') connect();
      else if (input === 'c' && !fixed) dispatch({ type: 'disconnected' });
      else if (key.return) {
        const why = blockedReason(state);
        if (why) dispatch({ type: 'failed', error: { code: 'GRAPH_FORBIDDEN', message: why, hint: 'grant the permissions (admin consent), then press r to reconnect' } });
        else dispatch({ type: 'next' });
      }
    },
    { isActive: !state.busy },
  );

  if (state.deviceCode) {
    return (
      <StepLayout help="waiting for sign-in · esc back · ctrl-c quit">
        <T bold>Device-code sign-in</T>
        <Text> </Text>
        <T>{fit(`Open ${state.deviceCode.verificationUri}`, 80)}</T>
        <T>
          and enter the code <T bold tone="accent">{state.deviceCode.userCode}</T>
        </T>
        <Text> </Text>
        <T tone="muted">Sign in with an account allowed to consent for the target tenant.</T>
      </StepLayout>
    );
  }

  if (state.preflight) {
    return <PreflightView preflight={state.preflight} fixed={fixed !== null} />;
  }

  return (
    <StepLayout help={fixed ? 'enter connect · esc back · ctrl-c quit' : 'tab profile/emulator · enter connect · esc back · ctrl-c quit'}>
      <T bold>Connect to the target tenant</T>
      <Text> </Text>
      <T>{`${useEmulator ? '( )' : '(•)'} Connection profile   ${useEmulator ? '(•)' : '( )'} Built-in emulator (drills)`}</T>
      <Text> </Text>
      {useEmulator ? (
        <T>A lab tenant on 127.0.0.1, empty but for one admin. Press enter to start it.</T>
      ) : (
        <TextField label="Profile:" value={profilePath} onChange={setProfilePath} onSubmit={connect} active={!state.busy} placeholder="e.g. /etc/entra-vault/target.json" />
      )}
      <Text> </Text>
      <T tone="muted">Device-code profiles show a code and URL here. The preflight reads the</T>
      <T tone="muted">tenant and its permissions; nothing is written.</T>
    </StepLayout>
  );
}

function PreflightView(props: { preflight: Preflight; fixed: boolean }): React.JSX.Element {
  const p = props.preflight;
  // Missing permissions first, so they are on screen even when the list is cut.
  const ordered = [...p.missing, ...p.permissionsNeeded.filter((x) => !p.missing.includes(x))];
  const rows = Math.ceil(ordered.length / 2);
  const colLen = Math.min(rows, 6);
  const cell = (perm: string | undefined): string => (perm === undefined ? '' : `${p.missing.includes(perm) ? '✗' : '✓'} ${perm}`);
  const blocked = p.missing.length > 0;
  return (
    <StepLayout help={`${blocked ? '' : 'enter continue · '}r reconnect · ${props.fixed ? '' : 'c change target · '}esc back · ctrl-c quit`}>
      <T bold>{fit(`Preflight: ${p.label}${p.signedInAs ? ` · signed in as ${p.signedInAs}` : ''}`, 80)}</T>
      <T>{fit(`  Tenant   ${p.tenantId}`, 80)}</T>
      <T>{fit(`  Domain   ${p.initialDomain}`, 80)}</T>
      <T tone={p.state === 'adminsPresent' ? 'plain' : 'warn'}>{fit(`  State    ${STATE_TEXT[p.state]}`, 80)}</T>
      <T bold>{`Permissions: ${p.permissionsNeeded.length - p.missing.length} of ${p.permissionsNeeded.length} needed held`}</T>
      <Box flexDirection="column">
        {Array.from({ length: colLen }, (_, r) => {
          const left = ordered[r];
          const right = ordered[r + colLen];
          return (
            <Text key={r}>
              <T tone={left && p.missing.includes(left) ? 'bad' : 'good'}>{`${pad(`  ${cell(left)}`, 39)} `}</T>
              <T tone={right && p.missing.includes(right) ? 'bad' : 'good'}>{fit(cell(right), 40)}</T>
            </Text>
          );
        })}
        {rows > 6 ? <T tone="muted">{`  … ${ordered.length - 12} more (see entra-vault plan --json)`}</T> : null}
      </Box>
      {blocked ? (
        <Box flexDirection="column">
          <T tone="bad" bold>
            {fit(`✗ Blocked: missing ${p.missing.join(', ')}`, 80)}
          </T>
          <T tone="bad">Grant these application permissions (admin consent), then press r.</T>
        </Box>
      ) : (
        <T tone="good">✓ All needed permissions are held.</T>
      )}
    </StepLayout>
  );
}
