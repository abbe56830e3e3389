/**
 * The plain wizard's Connect step as lines: the target (a connection profile, or the built-in
 * emulator for drills; a resume keeps the journal's), the device code when a sign-in waits for
 * one, and the preflight: tenant, state, every permission held or missing. A missing
 * permission blocks here, as on the Ink step (the shared reducer's `blockedReason`).
 */
import type { ConnectTarget, Preflight } from '../services.js';
import { blockedReason } from '../state.js';
import { TENANT_STATE_TEXT } from '../format.js';
import { dispatch, sayError, sayFailure, sayStateError, stepHeading, type PlainCtx } from './context.js';
import { waitReporter } from './progress.js';

type Next = ConnectTarget | 'back' | null;

/** The target to connect to, or back; null when the answer was refused (said). */
async function chooseTarget(ctx: PlainCtx): Promise<Next> {
  const s = ctx.state;
  const fixed = s.mode === 'resume' && s.journal ? s.journal.target : null;
  if (fixed) {
    ctx.io.say(`The restore being resumed writes to tenant ${s.journal!.targetTenantId} through ${'emulator' in fixed ? 'the built-in emulator' : fixed.profilePath}.`);
    return ctx.io.choose('Connect to it now?', [{ label: 'Connect', value: fixed as Next }, { label: 'Back', value: 'back' as Next }], { default: 0 });
  }
  const kind = await ctx.io.choose('Where do you restore to?', [
    { label: 'A tenant, through its connection profile (a file)', value: 'profile' as const },
    { label: 'The built-in emulator (drills): a lab tenant on 127.0.0.1, empty but for one admin', value: 'emulator' as const },
    { label: 'Back', value: 'back' as const },
  ], { default: s.scenario === 'drill' ? 1 : 0 });
  if (kind === 'back') return 'back';
  if (kind === 'emulator') return { emulator: true };
  const profilePath = await ctx.io.ask('What is the path of the target connection profile?');
  if (profilePath === '') {
    sayError(ctx, { code: 'USAGE', message: 'type the path of the target connection profile', hint: 'or choose the built-in emulator' });
    return null;
  }
  return { profilePath };
}

/** Signs in and runs the preflight (reads only); its answer goes to the shared reducer. */
async function connectTo(ctx: PlainCtx, target: ConnectTarget): Promise<void> {
  ctx.io.say('Signing in and running the preflight: it reads the tenant and its permissions, nothing is written…');
  const c = new AbortController();
  const progress = waitReporter(ctx);
  let preflight: Preflight;
  try {
    preflight = await ctx.io.wait(
      ctx.services.connect(target, {
        onDeviceCode: (p) => ctx.io.say(`Device-code sign-in: open ${p.verificationUri} and enter the code ${p.userCode}`, 'Sign in with an account allowed to consent for the target tenant; the wizard goes on when you have.'),
        signal: c.signal,
        reporter: progress.reporter,
      }),
      c,
    );
  } catch (e) {
    return sayFailure(ctx, e);
  } finally {
    progress.stop();
  }
  dispatch(ctx, { type: 'connected', target, preflight });
  sayStateError(ctx);
}

/** The preflight, whole: every permission on its own line, missing ones first. */
export function sayPreflight(ctx: PlainCtx, p: Preflight): void {
  const held = p.permissionsNeeded.length - p.missing.length;
  ctx.io.say(
    `Preflight: ${p.label}${p.signedInAs ? `, signed in as ${p.signedInAs}` : ''}`,
    `  Tenant: ${p.tenantId}`,
    `  Domain: ${p.initialDomain}`,
    `  State: ${TENANT_STATE_TEXT[p.state]}`,
    `Permissions: ${held} of ${p.permissionsNeeded.length} needed held`,
  );
  for (const m of p.missing) ctx.io.say(`  ✗ missing ${m}`);
  for (const h of p.permissionsNeeded.filter((x) => !p.missing.includes(x))) ctx.io.say(`  ✓ ${h}`);
  if (p.missing.length > 0) ctx.io.say(`✗ Blocked: missing ${p.missing.join(', ')}. Grant these application permissions (admin consent), then connect again.`);
  else ctx.io.say('✓ All needed permissions are held.');
  // The permission list is long (34 lines and growing with the catalog): name the tenant again
  // next to the question, so a 24-line terminal still shows which tenant "this target" is.
  ctx.io.say(`Target tenant: ${p.tenantId} (${p.initialDomain})`);
}

export async function connectStep(ctx: PlainCtx): Promise<void> {
  stepHeading(ctx);
  if (!ctx.state.preflight) {
    const target = await chooseTarget(ctx);
    if (target === 'back') dispatch(ctx, { type: 'back' });
    else if (target) await connectTo(ctx, target);
    if (!ctx.state.preflight) return;
  }
  sayPreflight(ctx, ctx.state.preflight);
  const blocked = blockedReason(ctx.state);
  const fixed = ctx.state.mode === 'resume';
  const choices = [
    ...(blocked ? [] : [{ label: 'Continue', value: 'next' as const }]),
    { label: 'Connect again (after granting permissions)', value: 'again' as const },
    ...(fixed ? [] : [{ label: 'Connect to another target', value: 'other' as const }]),
    { label: 'Back', value: 'back' as const },
  ];
  const next = await ctx.io.choose(blocked ? 'The target is blocked: what now?' : 'Continue with this target?', choices, { default: 0 });
  if (next === 'next') dispatch(ctx, { type: 'next' });
  else if (next === 'again' && ctx.state.target) await connectTo(ctx, ctx.state.target);
  else if (next === 'other') dispatch(ctx, { type: 'disconnected' });
  else if (next === 'back') dispatch(ctx, { type: 'back' });
}
