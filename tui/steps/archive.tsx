/**
 * Step 2: pick an archive from the vault. The newest verified archive is preselected;
 * an archive whose signature is invalid or missing is shown in red and can only be
 * taken through an override whose typed reason goes to the audit log (the service
 * writes it before the wizard moves on).
 */
import React, { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import type { ArchiveInfo } from '../services.js';
import { useWizard } from '../context.js';
import { preselectArchive } from '../state.js';
import { Row, StepLayout, T, TextField, fit, formatBytes, formatCount, formatTime, pad, toShown, windowOf, useKeys } from '../ui.js';

const LIST_ROWS = 7;

function totalObjects(a: ArchiveInfo): number {
  return Object.values(a.counts).reduce<number>((s, n) => s + (n ?? 0), 0);
}

function signatureText(a: ArchiveInfo): string {
  return a.signature === 'valid' ? '✓ signed' : a.signature === 'invalid' ? '✗ BAD SIGNATURE' : '✗ UNSIGNED';
}

export function archiveRow(a: ArchiveInfo): string {
  const tenant = a.tenantId.length > 9 ? `${a.tenantId.slice(0, 8)}…` : a.tenantId;
  return `${formatTime(a.takenAt)}  ${pad(tenant, 9)}  ${pad(Object.keys(a.counts).length === 0 ? '– obj' : `${formatCount(totalObjects(a))} obj`, 12)}  ${pad(formatBytes(a.bytes), 9)}  ${signatureText(a)}`;
}

export function ArchiveStep(): React.JSX.Element {
  const { state, dispatch, services, vaultDir } = useWizard();
  const archives = state.archives;
  const [chosenCursor, setCursor] = useState(-1);
  // Until the operator moves, the cursor is on the chosen archive or the preselected one.
  const cursor =
    chosenCursor >= 0 || !archives
      ? chosenCursor
      : (() => {
          const chosen = state.archive ? archives.findIndex((a) => a.path === state.archive!.path) : -1;
          return chosen >= 0 ? chosen : preselectArchive(archives);
        })();
  const [overriding, setOverriding] = useState(false);
  const [reason, setReason] = useState('');

  useEffect(() => {
    if (archives !== null) return;
    let live = true;
    dispatch({ type: 'busy', message: `reading the vault ${vaultDir}` });
    services.listArchives(vaultDir).then(
      (list) => live && dispatch({ type: 'archivesLoaded', archives: [...list].sort((a, b) => (a.takenAt < b.takenAt ? 1 : a.takenAt > b.takenAt ? -1 : 0)) }),
      (e: unknown) => live && dispatch({ type: 'failed', error: toShown(e) }),
    );
    return () => {
      live = false;
    };
  }, [archives, services, vaultDir, dispatch]);

  const current = archives && cursor >= 0 ? archives[cursor] : undefined;

  const submitOverride = (text: string): void => {
    if (!current) return;
    if (text.trim().length === 0) {
      dispatch({ type: 'failed', error: { code: 'USAGE', message: 'an override needs a reason', hint: 'type why this archive must be used, or esc to cancel' } });
      return;
    }
    dispatch({ type: 'busy', message: 'writing the override to the audit log' });
    services.overrideSignature(current.path, text.trim()).then(
      () => {
        setOverriding(false);
        setReason('');
        dispatch({ type: 'archiveChosen', archive: current, overrideReason: text.trim() });
      },
      (e: unknown) => dispatch({ type: 'failed', error: toShown(e) }),
    );
  };

  useKeys(
    (input, key) => {
      if (overriding) {
        if (key.escape) {
          setOverriding(false);
          setReason('');
          dispatch({ type: 'dismissError' });
        }
        return;
      }
      if (!archives || archives.length === 0) {
        if (key.escape) dispatch({ type: 'back' });
        else if (input === 'r') dispatch({ type: 'archivesReset' });
        return;
      }
      if (key.upArrow || input === 'k') {
        setCursor(Math.max(0, cursor - 1));
        dispatch({ type: 'dismissError' });
      } else if (key.downArrow || input === 'j') {
        setCursor(Math.min(archives.length - 1, cursor + 1));
        dispatch({ type: 'dismissError' });
      } else if (key.return && current) {
        if (state.archive?.path === current.path && (current.signature === 'valid' || state.overrideReason)) dispatch({ type: 'next' });
        else dispatch({ type: 'archiveChosen', archive: current });
      } else if (input === 'o' && current && current.signature !== 'valid') {
        setOverriding(true);
        dispatch({ type: 'dismissError' });
      } else if (key.escape) dispatch({ type: 'back' });
    },
    { isActive: !state.busy },
  );

  const help = overriding
    ? 'type the reason · enter override (audit-logged) · esc cancel'
    : current && current.signature !== 'valid'
      ? '↑↓ move · o override with a reason · esc back · ctrl-c quit'
      : '↑↓ move · enter choose · esc back · ctrl-c quit';

  if (!archives) return <StepLayout help={help}>{null}</StepLayout>;
  if (archives.length === 0) {
    return (
      <StepLayout help="r reload · esc back · ctrl-c quit">
        <T bold>{fit(`No archives in ${vaultDir}.`, 80)}</T>
        <T tone="muted">Take one with: entra-vault backup --source F --vault V ...</T>
      </StepLayout>
    );
  }
  const win = windowOf(archives.length, Math.max(cursor, 0), LIST_ROWS);
  return (
    <StepLayout help={help}>
      <T bold>{fit(`Archives in ${vaultDir} (newest first, ${archives.length})`, 80)}</T>
      <T tone="muted">{`  ${pad('taken (UTC)', 17)}  ${pad('tenant', 9)}  ${pad('objects', 12)}  ${pad('size', 9)}  signature`}</T>
      <Box flexDirection="column" height={LIST_ROWS}>
        {archives.slice(win.start, win.end).map((a, k) => (
          <Row key={a.path} selected={win.start + k === cursor} tone={a.signature === 'valid' ? undefined : 'bad'} text={archiveRow(a)} />
        ))}
      </Box>
      {current ? <ArchiveDetails archive={current} /> : null}
      {overriding && current ? (
        <Box flexDirection="column">
          <T tone="bad">{fit(`Override: this archive's signature is ${current.signature}. The reason is audit-logged.`, 80)}</T>
          <TextField label="Reason:" value={reason} onChange={setReason} onSubmit={submitOverride} active={!state.busy} placeholder="why this archive must be used" />
        </Box>
      ) : null}
    </StepLayout>
  );
}

function ArchiveDetails(props: { archive: ArchiveInfo }): React.JSX.Element {
  const a = props.archive;
  const c = a.counts;
  // Object counts live in the encrypted manifest: a listing that read only the signed
  // trusted comment has none, and says so rather than showing zeros.
  const counts = Object.keys(c).length === 0 ? 'object counts are in the encrypted manifest (read after unlock)' : `users ${formatCount(c.user ?? 0)} · groups ${formatCount(c.group ?? 0)} · apps ${formatCount(c.application ?? 0)} · CA ${formatCount(c.conditionalAccessPolicy ?? 0)} · total ${formatCount(totalObjects(a))}`;
  return (
    <Box flexDirection="column">
      <T>{fit(`Tenant ${a.tenantId} · ${formatTime(a.takenAt)}`, 80)}</T>
      <T tone="muted">{fit(counts, 80)}</T>
      <T tone="muted">{fit(a.path, 80)}</T>
      {a.signature !== 'valid' ? (
        <T tone="bad" bold>
          {fit(`✗ Signature ${a.signature}${a.signatureProblem ? `: ${a.signatureProblem}` : ''}. Not usable without override.`, 80)}
        </T>
      ) : (
        <Text> </Text>
      )}
    </Box>
  );
}
