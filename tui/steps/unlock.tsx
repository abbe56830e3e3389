/**
 * Step 3: unlock the archive with the age identity file or the passphrase. The key is
 * checked against the archive header by the service before the wizard moves on. The
 * passphrase lives only in this component's state, is drawn as asterisks, and is
 * cleared as soon as it has been handed to the service.
 */
import React, { useState } from 'react';
import { Text } from 'ink';
import { useWizard } from '../context.js';
import { StepLayout, T, Wrapped, toShown, useKeys } from '../ui.js';
import { FIELD_KEYS, TextField } from '../text-field.js';

type Method = 'identity' | 'passphrase';

export function UnlockStep(): React.JSX.Element {
  const { state, dispatch, services, setWaitController } = useWizard();
  const [method, setMethod] = useState<Method>('identity');
  const [identityPath, setIdentityPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const archivePath = state.mode === 'resume' ? state.journal?.archivePath : state.archive?.path;
  // Back on this step after unlocking (issue 12 item 14a): the key is still held by the
  // services, so the step says with what and Enter goes on; `u` asks for a key again.
  const [again, setAgain] = useState(false);
  const done = state.unlocked && !again;

  useKeys(
    (input, key) => {
      if (done) {
        if (key.return) dispatch({ type: 'next' });
        else if (input === 'u') setAgain(true);
        else if (key.escape) dispatch({ type: 'back' });
        return;
      }
      if (key.tab) {
        setMethod((m) => (m === 'identity' ? 'passphrase' : 'identity'));
        dispatch({ type: 'dismissError' });
      } else if (key.escape) dispatch({ type: 'back' });
    },
    { isActive: !state.busy },
  );

  // `typed`: the field's value at its Enter, which may be newer than this render's state.
  const submit = (typed: string): void => {
    if (!archivePath) return;
    const identityPath = method === 'identity' ? typed.trim() : '';
    const passphrase = method === 'passphrase' ? typed : '';
    if (method === 'identity' && identityPath === '') {
      dispatch({ type: 'failed', error: { code: 'USAGE', message: 'type the path of the age identity file', hint: 'or press tab to use a passphrase' } });
      return;
    }
    if (method === 'passphrase' && passphrase.length === 0) {
      dispatch({ type: 'failed', error: { code: 'USAGE', message: 'type the passphrase', hint: 'or press tab to use an identity file' } });
      return;
    }
    const request = method === 'identity' ? { archivePath, identityPath } : { archivePath, passphrase };
    setPassphrase('');
    dispatch({ type: 'busy', message: 'checking the key against the archive header' });
    // a read (and a key derivation that may take seconds): Esc abandons it (issue 12 item 6)
    const c = new AbortController();
    setWaitController(c);
    services.unlock(request).then(
      () => !c.signal.aborted && dispatch({ type: 'unlocked', with: method === 'identity' ? `the identity file ${identityPath}` : 'the passphrase' }),
      (e: unknown) => !c.signal.aborted && dispatch({ type: 'failed', error: toShown(e) }),
    );
  };

  if (done) {
    return (
      <StepLayout help="enter continue · u use another key · esc back · ctrl-c quit">
        <T bold>Unlock the archive</T>
        <Wrapped tone="muted" text={archivePath ?? ''} />
        <Text> </Text>
        <Wrapped tone="good" text={`✓ Unlocked with ${state.unlockedWith ?? 'the key given before'}`} />
        <Wrapped tone="muted" text="The key is held in memory for this session. Enter continues with it." />
      </StepLayout>
    );
  }
  return (
    <StepLayout help={`tab identity file/passphrase · ${FIELD_KEYS} · enter unlock · esc back · ctrl-c quit`}>
      <T bold>Unlock the archive</T>
      <Wrapped tone="muted" text={archivePath ?? ''} />
      {state.overrideReason ? <Wrapped tone="bad" text={`Signature overridden: ${state.overrideReason}`} /> : null}
      <Text> </Text>
      <T>{`${method === 'identity' ? '(•)' : '( )'} Identity file   ${method === 'passphrase' ? '(•)' : '( )'} Passphrase`}</T>
      <Text> </Text>
      {method === 'identity' ? (
        <TextField label="Identity file:" value={identityPath} onChange={setIdentityPath} onSubmit={submit} active={!state.busy} placeholder="e.g. /media/keys/identity.txt" />
      ) : (
        <TextField label="Passphrase:" value={passphrase} onChange={setPassphrase} onSubmit={submit} active={!state.busy} mask />
      )}
      <Text> </Text>
      <Wrapped tone="muted" text="The key is checked against the archive header before anything is read." />
      <Wrapped tone="muted" text="It stays in memory for this session only and is never written or shown." />
    </StepLayout>
  );
}
