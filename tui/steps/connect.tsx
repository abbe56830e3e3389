/**
 * Step 4: connect to the target with a connection profile (or the built-in emulator
 * for drills). A device-code sign-in shows its code and URL while it waits. The
 * preflight shows the tenant, the state it is in and the permissions held vs needed;
 * a missing permission blocks here with the list of what to grant.
 */
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { ConnectTarget, Preflight } from '../services.js';
import { TENANT_STATE_TEXT } from '../format.js';
import type { ProgressEvent } from '../../src/progress.js';
import { useWizard } from '../context.js';
import { blockedReason } from '../state.js';
import { Field, Line, StepLayout, T, Wrapped, pad, toShown, useKeys } from '../ui.js';
import { FIELD_KEYS, TextField } from '../text-field.js';
import { useBody, wrapLines } from '../layout.js';
import { DetailScreen, useDetail, type Detail } from '../detail.js';

const STATE_TEXT = TENANT_STATE_TEXT;

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
    // what the sign-in and preflight are doing, on the wait's status line (issue 12 item 12)
    const reporter = { report: (event: ProgressEvent) => !c.signal.aborted && dispatch({ type: 'waitProgress', event }) };
    services.connect(target, { onDeviceCode: (prompt) => dispatch({ type: 'deviceCode', prompt }), signal: c.signal, reporter }).then(
      (preflight) => !c.signal.aborted && dispatch({ type: 'connected', target, preflight }),
      (e: unknown) => !c.signal.aborted && dispatch({ type: 'failed', error: toShown(e) }),
    );
  };

  const editing = !state.preflight;
  const { detail, open, close } = useDetail();
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
      else if (key.rightArrow && state.preflight) open(permissionsDetail(state.preflight));
      else if (input === 'c' && !fixed) dispatch({ type: 'disconnected' });
      else if (key.return) {
        const why = blockedReason(state);
        if (why) dispatch({ type: 'failed', error: { code: 'GRAPH_FORBIDDEN', message: why, hint: 'grant the permissions (admin consent), then press r to reconnect' } });
        else dispatch({ type: 'next' });
      }
    },
    { isActive: !state.busy && !detail },
  );

  if (detail) return <DetailScreen detail={detail} onClose={close} />;
  if (state.deviceCode) {
    return (
      <StepLayout help="waiting for sign-in · esc back · ctrl-c quit">
        <T bold>Device-code sign-in</T>
        <Text> </Text>
        <Wrapped text={`Open ${state.deviceCode.verificationUri}`} />
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
    <StepLayout help={`${fixed ? '' : 'tab profile/emulator · '}${useEmulator ? '' : `${FIELD_KEYS} · `}enter connect · esc back · ctrl-c quit`}>
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
      <Wrapped tone="muted" text="Device-code profiles show a code and URL here. The preflight reads the tenant and its permissions; nothing is written." />
    </StepLayout>
  );
}

/** Every permission the restore needs, held or missing (the detail view of the preflight's list). */
function permissionsDetail(p: Preflight): Detail {
  return {
    title: `Permissions: ${p.permissionsNeeded.length - p.missing.length} of ${p.permissionsNeeded.length} needed held`,
    fields: [
      ['Missing', p.missing.length === 0 ? 'none' : p.missing.join('\n')],
      ['Held', p.permissionsNeeded.filter((x) => !p.missing.includes(x)).join('\n') || 'none'],
      ['Tenant', `${p.tenantId} (${p.initialDomain})`],
    ],
  };
}

const GRANT = 'Grant these application permissions (admin consent), then press r.';
const blockedText = (p: Preflight): string => `✗ Blocked: missing ${p.missing.join(', ')}`;

function PreflightView(props: { preflight: Preflight; fixed: boolean }): React.JSX.Element {
  const p = props.preflight;
  const blocked = p.missing.length > 0;
  return (
    <StepLayout help={`${blocked ? '' : 'enter continue · '}→ permissions · r reconnect · ${props.fixed ? '' : 'c change target · '}esc back · ctrl-c quit`}>
      <Line bold text={`Preflight: ${p.label}${p.signedInAs ? ` · signed in as ${p.signedInAs}` : ''}`} />
      <Field label="  Tenant" value={p.tenantId} />
      <Field label="  Domain" value={p.initialDomain} />
      <Field label="  State" value={STATE_TEXT[p.state]} tone={p.state === 'adminsPresent' ? 'plain' : 'warn'} />
      <T bold>{`Permissions: ${p.permissionsNeeded.length - p.missing.length} of ${p.permissionsNeeded.length} needed held`}</T>
      <PermissionColumns preflight={p} />
      {blocked ? (
        <Box flexDirection="column">
          <Wrapped tone="bad" bold text={blockedText(p)} />
          <Wrapped tone="bad" text={GRANT} />
        </Box>
      ) : (
        <T tone="good">✓ All needed permissions are held.</T>
      )}
    </StepLayout>
  );
}

/** The permissions, missing first, in two columns where they fit, in the rows the body leaves. */
function PermissionColumns(props: { preflight: Preflight }): React.JSX.Element {
  const p = props.preflight;
  const { columns, rows } = useBody();
  const below = p.missing.length > 0 ? wrapLines(blockedText(p), columns).length + wrapLines(GRANT, columns).length : 1;
  // Missing permissions first, so they are on screen even when the list is cut.
  const ordered = [...p.missing, ...p.permissionsNeeded.filter((x) => !p.missing.includes(x))];
  const two = columns >= 80;
  const room = Math.max(1, rows - 5 - below);
  const perCol = Math.ceil(ordered.length / (two ? 2 : 1));
  const colLen = perCol > room ? Math.max(1, room - 1) : perCol;
  const shown = colLen * (two ? 2 : 1);
  const cell = (perm: string | undefined): string => (perm === undefined ? '' : `${p.missing.includes(perm) ? '✗' : '✓'} ${perm}`);
  const half = Math.floor(columns / 2);
  return (
    <Box flexDirection="column">
      {Array.from({ length: colLen }, (_, r) => {
        const left = ordered[r];
        const right = two ? ordered[r + colLen] : undefined;
        return (
          <Text key={r}>
            <T tone={left && p.missing.includes(left) ? 'bad' : 'good'}>{two ? `${pad(`  ${cell(left)}`, half - 1)} ` : pad(`  ${cell(left)}`, columns)}</T>
            {two ? <T tone={right && p.missing.includes(right) ? 'bad' : 'good'}>{pad(cell(right), columns - half)}</T> : null}
          </Text>
        );
      })}
      {ordered.length > shown ? <T tone="muted">{`  … ${ordered.length - shown} more: → shows all`}</T> : null}
    </Box>
  );
}
