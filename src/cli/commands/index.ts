/**
 * Every command of the CLI contract (docs/design.md "Interfaces"): names and flags are a
 * contract scripts and auditors rely on — extend, never rename.
 */
import type { PreflightOpts } from './preflight.js';
import { Command, Option } from 'commander';
import type { CliIo } from '../io.js';
import { collectTarget, parseConcurrency, parseIntOption } from './options.js';
import type { KeysInitOpts } from './keys.js';
import type { CredentialsOpts } from './credentials.js';
import type { RunbookOpts } from './runbook.js';
import type { AuditReportOpts, AuditTargetsOpts, AuditVerifyOpts } from './audit.js';

type SetExit = (code: number) => void;

type Run = <A extends unknown[]>(fn: (...a: A) => Promise<number>) => (...a: A) => Promise<void>;

/** Registers every command; each group below is one part of the contract. */
export function registerCommands(program: Command, io: CliIo, setExit: SetExit): void {
  const run: Run = (fn) => async (...a) => setExit(await fn(...a));
  registerSetup(program, io, run);
  registerVault(program, io, run);
  registerRestore(program, io, run);
  registerEvidence(program, io, run);
}

/** Keys, the emulator and backups. */
function registerSetup(program: Command, io: CliIo, run: Run): void {
  const keys = program.command('keys').description('create and manage the vault keys');
  keys
    .command('init')
    .description('create an age identity + recipient and a minisign-compatible signing key pair')
    .requiredOption('--dir <dir>', 'directory for identity.txt, recipient.txt, signing.key, signing.pub')
    .option('--x25519', 'X25519 recipient (readable by the stock age CLI) instead of hybrid post-quantum')
    .option('--passphrase-env <name>', 'protect the secret files with the passphrase in this environment variable')
    .option('--passphrase-prompt', 'type the passphrase on the terminal, not echoed (instead of --passphrase-env; refused without a terminal)')
    .option('--json', 'print the result as JSON')
    .action(run((o: KeysInitOpts) => import('./keys.js').then((m) => m.keysInit(o, io))));

  program
    .command('emulator')
    .description('run the built-in Microsoft Graph v1.0 emulator on 127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', parseIntOption, 0)
    .option('--users <n>', 'users in the seeded tenant', parseIntOption, 100)
    .option('--seed <n>', 'seed for the deterministic tenant', parseIntOption, 1)
    .option('--tenant-id <id>', 'fixed tenant id')
    .option('--profile-out <file>', 'write the backup-reader connection profile here')
    .option('--writer-profile-out <file>', 'write the restore-writer connection profile here')
    .option('--empty', 'start a brand-new tenant with one initial admin')
    .option('--faults <spec>', 'faults, e.g. throttle,errors=0.05,latency=20,writeLatency=20,lag=500,throttle429=0.3,throttleFor=300,rejectWrites=0.05')
    .option('--state <file>', 'keep the tenant in this JSON file across restarts')
    .option('--tls', 'serve HTTPS with a local CA made at start (needs openssl); profiles name it in caFile')
    .option('--profile-auth <kind>', 'how written profiles sign in: clientSecret or certificate (needs --tls)', 'clientSecret')
    .action(run((o: EmulatorOpts) => import('./emulator.js').then((m) => m.emulatorCommand(o, io))));

  program
    .command('backup')
    .description('take a complete, encrypted, signed snapshot of a tenant into the vault')
    .requiredOption('--source <profile>', 'connection profile of the tenant to back up')
    .requiredOption('--vault <dir>', 'vault directory')
    .requiredOption('--recipient <recipient...>', 'age recipient(s) or recipient files')
    .requiredOption('--signing-key <file>', 'minisign-format signing key (signing.key)')
    .option('--passphrase-env <name>', 'environment variable with the signing key passphrase')
    .option('--passphrase-prompt', 'type the passphrase on the terminal, not echoed (instead of --passphrase-env; refused without a terminal)')
    .option('--init', 'create the vault if --vault holds none, trusting --signing-key (else a missing vault is an error)')
    .option('--incremental', 'read only what changed since the tenant\'s newest archive (Graph delta); a full backup when that is not possible, saying why')
    .option('--full-after <hours>', 'with --incremental: take a full backup (a new chain) once the chain\'s full archive is this many hours old', parseIntOption)
    .option('--concurrency <n>', 'parallel $batch calls', parseIntOption, 4)
    .option('--json', 'JSON-lines progress and result on stdout')
    .action(run((o: BackupOpts) => import('./backup.js').then((m) => m.backupCommand(o, io))));
}

/** The vault and its audit log. */
function registerVault(program: Command, io: CliIo, run: Run): void {
  const vault = program.command('vault').description('the offline vault: import, list, verify, prune, audit');
  vault
    .command('init')
    .description('create a vault that trusts the given signing public key(s)')
    .requiredOption('--vault <dir>', 'vault directory (must not hold a vault.json yet)')
    .requiredOption('--signer <file>', 'signing public key (signing.pub) whose archives the vault accepts')
    .option('--json', 'print JSON')
    .action(run((o: { vault: string; signer: string; json?: boolean }) => import('./vault.js').then((m) => m.vaultInit(o, io))));
  vault
    .command('list')
    .requiredOption('--vault <dir>', 'vault directory')
    .option('--json', 'print JSON')
    .action(run((o: { vault: string; json?: boolean }) => import('./vault.js').then((m) => m.vaultList(o, io))));
  vault
    .command('verify')
    .requiredOption('--vault <dir>', 'vault directory')
    .option('--identity <file>', 'age identity: also decrypt and re-hash entries')
    .option('--passphrase-env <name>', 'environment variable with the identity passphrase')
    .option('--passphrase-prompt', 'type the passphrase on the terminal, not echoed (instead of --passphrase-env; refused without a terminal)')
    .option('--read-data', 're-hash every entry (needs --identity)')
    .option('--sample <n>', 're-hash this many randomly chosen entries per archive and report coverage', parseIntOption)
    .option('--json', 'print JSON')
    .action(run((o: VaultVerifyOpts) => import('./vault.js').then((m) => m.vaultVerify(o, io))));
  vault
    .command('import')
    .argument('<archive>', 'archive file (.evault) with its .evault.minisig beside it')
    .requiredOption('--vault <dir>', 'vault directory')
    .option('--allow-rollback <reason>', 'accept an archive older than the newest seen (logged)')
    .option('--json', 'print JSON')
    .action(run((archive: string, o: { vault: string; allowRollback?: string; json?: boolean }) => import('./vault.js').then((m) => m.vaultImport(archive, o, io))));
  vault
    .command('prune')
    .requiredOption('--vault <dir>', 'vault directory')
    .option('--keep-daily <n>', 'daily archives to keep', parseIntOption, 7)
    .option('--keep-weekly <n>', 'weekly archives to keep', parseIntOption, 5)
    .option('--keep-monthly <n>', 'monthly archives to keep', parseIntOption, 12)
    .option('--keep-yearly <n>', 'yearly archives to keep', parseIntOption, 7)
    .option('--apply', 'really delete (default: dry run)')
    .option('--json', 'print JSON')
    .action(run((o: VaultPruneOpts) => import('./vault.js').then((m) => m.vaultPrune(o, io))));
  vault
    .command('consolidate')
    .description('write the tenant at a point of an incremental chain as one full archive, signed anew (then prune can drop the chain)')
    .argument('<point>', 'an incremental archive (.evault) of the vault')
    .requiredOption('--vault <dir>', 'vault directory')
    .requiredOption('--identity <file>', 'age identity that decrypts the chain')
    .requiredOption('--recipient <r...>', 'age recipient(s) of the new archive, or recipient files')
    .requiredOption('--signing-key <file>', 'collector signing key (signing.key) that signs it')
    .option('--passphrase-env <name>', 'environment variable with the signing key passphrase')
    .option('--passphrase-prompt', 'type the passphrase on the terminal, not echoed (instead of --passphrase-env; refused without a terminal)')
    .option('--allow-rollback <reason>', 'newer archives of the tenant exist: import the consolidation anyway (audit-logged)')
    .option('--json', 'print JSON')
    .action(run((point: string, o: VaultConsolidateOpts) => import('./vault.js').then((m) => m.vaultConsolidate(point, o, io))));
  const vaultAudit = vault.command('audit').description('the vault\'s hash-chained audit log');
  vaultAudit
    .command('verify')
    .requiredOption('--vault <dir>', 'vault directory')
    .option('--json', 'print JSON')
    .action(run((o: { vault: string; json?: boolean }) => import('./vault.js').then((m) => m.vaultAuditVerify(o, io))));
}

/** Verify, preflight, diff, plan and restore: an archive against a target. */
function registerRestore(program: Command, io: CliIo, run: Run): void {
  program
    .command('verify')
    .description('check one archive: signature and sizes without a key; contents with --identity')
    .argument('<archive>', 'archive file')
    .option('--identity <file>', 'age identity file')
    .option('--passphrase-env <name>', 'environment variable with the identity passphrase')
    .option('--passphrase-prompt', 'type the passphrase on the terminal, not echoed (instead of --passphrase-env; refused without a terminal)')
    .option('--signer <file>', 'signing public key (default: the vault\'s vault.json next to the archive)')
    .option('--read-data', 're-hash every entry (needs --identity)')
    .option('--sample <n>', 're-hash this many randomly chosen entries and report coverage', parseIntOption)
    .option('--json', 'print JSON')
    .action(run((archive: string, o: VerifyOpts) => import('./verify.js').then((m) => m.verifyCommand(archive, o, io))));

  program
    .command('preflight')
    .description('check a restore target: tenant, state, the restore writer\'s permissions held and missing (reads only)')
    .requiredOption('--target <profile>', 'connection profile of the target tenant')
    .option('--json', 'print JSON')
    .action(run((o: PreflightOpts) => import('./preflight.js').then((m) => m.preflightCommand(o, io))));

  // diff takes a second archive instead of --target (issue 18: `diff ARCHIVE_A ARCHIVE_B`)
  const restoreOptions = (c: Command, target: 'required' | 'orSecondArchive' = 'required') =>
    (target === 'required'
      ? c.argument('<archive>', 'archive file').requiredOption('--target <profile>', 'connection profile of the target tenant; repeat it, one per recovery app of that tenant, to spread writes over several apps\' quotas', collectTarget)
      : c.argument('<archive>', 'archive file (A, the older one, when a second archive is given)')
        .argument('[archiveB]', 'a second archive (B, the newer one): compare the two archives instead of a live tenant')
        .option('--target <profile>', 'connection profile of the live tenant to compare with (required without a second archive; repeatable, one per app)', collectTarget))
      .requiredOption('--identity <file>', 'age identity file')
      .option('--passphrase-env <name>', 'environment variable with the identity passphrase')
      .option('--passphrase-prompt', 'type the passphrase on the terminal, not echoed (instead of --passphrase-env; refused without a terminal)')
      .option('--signer <file>', 'signing public key (default: the vault\'s)')
      .addOption(new Option('--scenario <s>', 'scenario').choices(['tenant-loss', 'all-admins-deleted', 'objects', 'attributes']).default('tenant-loss'))
      .option('--objects <ids>', 'objects/attributes scenarios: comma-separated archived object ids')
      .option('--attributes <names>', 'attributes scenario: comma-separated property names')
      .option('--allow-rollback <reason>', 'accept an archive older than the newest the vault has seen (logged)')
      .option('--allow-bad-signature <reason>', 'accept a missing or invalid signature (logged in the vault\'s audit log)')
      .option('--json', 'print JSON');
  restoreOptions(program.command('diff').description('compare an archive with a live tenant, or two archives (A older, B newer; exit 1 when they differ)'), 'orSecondArchive')
    .option('--markdown', 'two archives: print the changes as Markdown')
    .option('--allow-different-tenants', 'two archives: compare archives of two different tenants (matched by natural key)')
    .action(run((archive: string, archiveB: string | undefined, o: DiffOpts) => import('./restore.js').then((m) => m.diffCommand(archive, archiveB, o, io))));
  restoreOptions(program.command('plan').description('show the restore plan (nothing is written)'))
    .option('--expect-plan <sha256>', 'refuse (PLAN_CHANGED) unless the plan hashes to this (see the plan\'s last line)')
    .option('--text-out <file>', 'also write the plan as text (with its sha256 line) to this file: the same plan as stdout, from one read of the target')
    .option('--diff-out <file>', 'also write the archive-against-target diff (as diff --json prints it) from the same read of the target')
    .option('--runbook-out <file>', 'also write the runbook of this plan (Markdown, as runbook --out) from the same read of the target')
    .option('--runbook-html', 'with --runbook-out: an HTML rendering beside it')
    .option('--contact <line...>', 'with --runbook-out: contact lines for the runbook header')
    .action(run((archive: string, o: RestoreOpts) => import('./restore.js').then((m) => m.planCommand(archive, o, io))));
  restoreOptions(program.command('restore').description('restore (dry run unless --confirm names the target tenant)'))
    .option('--confirm <tenantId>', 'type the target tenant id (or initial domain) to write')
    .option('--resume', 'resume an unfinished restore from its journal')
    .option('--journal <file>', 'journal path', 'entra-vault-restore.journal')
    .option('--enable-ca', 'switch conditional-access policies to their archived state once their references verify')
    .option('--credentials-out <file>', 'encrypted file for temporary passwords', 'restore-credentials.age')
    .option('--operator-recipient <r>', 'age recipient (or file) for the credentials file (default: the identity\'s)')
    .option('--expect-plan <sha256>', 'the reviewed plan\'s sha256: refuse (PLAN_CHANGED, exit 6) before any write if the plan differs')
    .option('--concurrency <n>', 'restore operations in flight, 1..64 (default 20); lower it when Graph keeps throttling', parseConcurrency)
    .action(run((archive: string, o: RestoreOpts) => import('./restore.js').then((m) => m.restoreCommand(archive, o, io))));
}

/** Drills, runbooks, audit evidence, procedures and the wizard. */
function registerEvidence(program: Command, io: CliIo, run: Run): void {
  program
    .command('drill')
    .description('run a full recovery drill on the built-in emulator and write a report')
    .addOption(new Option('--scenario <s>', 'scenario').choices(['tenant-loss', 'all-admins-deleted']).default('tenant-loss'))
    .option('--users <n>', 'users in the seeded source tenant', parseIntOption, 500)
    .option('--seed <n>', 'seed', parseIntOption, 1)
    .option('--out <dir>', 'directory for the report, archive and keys', 'drill-out')
    .option('--faults <spec>', 'emulator faults during the restore (see emulator --faults)')
    .option('--recovery-apps <n>', 'tenant-loss: restore through N recovery apps of the new tenant, each with its own write quota (default 1)', parseIntOption)
    .option('--json', 'JSON-lines progress and result on stdout')
    .action(run((o: DrillOpts) => import('./drill.js').then((m) => m.drillCommand(o, io))));

  program
    .command('runbook')
    .description('render the recovery runbook (Markdown, optionally HTML) from an archive and its plan')
    .argument('<archive>', 'archive file')
    .addOption(new Option('--scenario <s>', 'scenario').choices(['tenant-loss', 'all-admins-deleted', 'objects', 'attributes']).default('tenant-loss'))
    .option('--target <profile>', 'plan against this target (needs --identity)')
    .option('--identity <file>', 'age identity file')
    .option('--passphrase-env <name>', 'environment variable with the identity passphrase')
    .option('--passphrase-prompt', 'type the passphrase on the terminal, not echoed (instead of --passphrase-env; refused without a terminal)')
    .option('--signer <file>', 'signing public key (default: the vault\'s)')
    .option('--allow-rollback <reason>', 'accept an archive older than the newest the vault has seen (logged)')
    .option('--vault <dir>', 'vault (for the last drill\'s timings)')
    .option('--objects <ids>', 'objects/attributes scenarios: archived object ids')
    .option('--attributes <names>', 'attributes scenario: property names')
    .option('--out <file>', 'write the runbook here (default: stdout)')
    .option('--html', 'also write an HTML rendering next to --out')
    .option('--contact <line...>', 'contact lines for the runbook header')
    .option('--json', 'print JSON')
    .action(run((archive: string, o: RunbookOpts) => import('./runbook.js').then((m) => m.runbookCommand(archive, o, io))));

  const audit = program.command('audit').description('evidence for auditors: verify packs and the chain, report');
  audit
    .command('verify')
    .requiredOption('--vault <dir>', 'vault directory')
    .option('--evidence <dir...>', 'evidence pack directories (default: every pack the audit log names)')
    .option('--signer <file>', 'signing public key (default: the vault\'s trusted keys)')
    .option('--record', 'append the result to the audit log')
    .option('--json', 'print JSON')
    .action(run((o: AuditVerifyOpts) => import('./audit.js').then((m) => m.auditVerifyCommand(o, io))));
  audit
    .command('report')
    .requiredOption('--vault <dir>', 'vault directory')
    .option('--since <date>', 'from this date (ISO 8601)')
    .option('--out <file>', 'write the report here')
    .option('--html', 'also write HTML')
    .option('--json', 'print JSON')
    .action(run((o: AuditReportOpts) => import('./audit.js').then((m) => m.auditReportCommand(o, io))));
  audit
    .command('targets')
    .requiredOption('--vault <dir>', 'vault directory')
    .option('--rpo-hours <h>', 'recovery point objective')
    .option('--rto-hours <h>', 'recovery time objective')
    .option('--json', 'print JSON')
    .action(run((o: AuditTargetsOpts) => import('./audit.js').then((m) => m.auditTargetsCommand(o, io))));

  const credentials = program.command('credentials').description('the temporary passwords a restore wrote (age-encrypted to the operator)');
  credentials
    .command('show')
    .description('print them on this terminal (never to a pipe or a file)')
    .argument('<file>', 'the restore\'s credentials file, e.g. restore-credentials.age')
    .requiredOption('--identity <file>', 'age identity file')
    .option('--passphrase-env <name>', 'environment variable with the identity passphrase')
    .option('--passphrase-prompt', 'type the passphrase on the terminal, not echoed (instead of --passphrase-env; refused without a terminal)')
    .action(run((file: string, o: CredentialsOpts) => import('./credentials.js').then((m) => m.credentialsShowCommand(file, o, io))));
  credentials
    .command('export')
    .description('write them as CSV to a new file with mode 0600')
    .argument('<file>', 'the restore\'s credentials file')
    .requiredOption('--identity <file>', 'age identity file')
    .requiredOption('--out <file>', 'the CSV file to create (never overwritten)')
    .option('--passphrase-env <name>', 'environment variable with the identity passphrase')
    .option('--passphrase-prompt', 'type the passphrase on the terminal, not echoed (instead of --passphrase-env; refused without a terminal)')
    .action(run((file: string, o: CredentialsOpts) => import('./credentials.js').then((m) => m.credentialsExportCommand(file, o, io))));

  const procedure = program.command('procedure').description('the documented recovery procedures (recovery-scripts/), run as written');
  procedure
    .command('list')
    .description('list the procedures with their titles and SHA-256')
    .option('--json', 'print JSON')
    .action(run((o: { json?: boolean }) => import('./procedure.js').then((m) => m.procedureList(o, io))));
  procedure
    .command('run')
    .description('run one procedure with its arguments (passed literally, no shell)')
    .argument('<name>', 'script name, e.g. 90-drill.sh')
    .argument('[args...]', 'arguments for the script (put them after --)')
    .option('--vault <dir>', 'record the run and the script\'s SHA-256 in this vault\'s audit log')
    .action(run((name: string, args: string[], o: { vault?: string }) => import('./procedure.js').then((m) => m.procedureRun(name, args, o, io))));

  program
    .command('wizard', { isDefault: false })
    .description('the interactive recovery wizard (needs a terminal)')
    .option('--vault <dir>', 'vault directory', 'vault')
    .option('--plain', 'plain, linear wizard: each step and question as lines, numbered choices, no redraws (also when TERM=dumb; reads answers from a pipe too)')
    .action(run((o: { vault: string; plain?: boolean }) => import('./wizard.js').then((m) => m.wizardCommand(o, io))));
}

export interface EmulatorOpts {
  port: number; users: number; seed: number; tenantId?: string; profileOut?: string;
  writerProfileOut?: string; empty?: boolean; faults?: string; state?: string;
  tls?: boolean; profileAuth?: string;
}
export interface BackupOpts {
  source: string; vault: string; recipient: string[]; signingKey: string; passphraseEnv?: string; passphrasePrompt?: boolean;
  concurrency: number; json?: boolean; init?: boolean; incremental?: boolean; fullAfter?: number;
}
export interface VaultVerifyOpts {
  vault: string; identity?: string; passphraseEnv?: string; passphrasePrompt?: boolean; readData?: boolean; sample?: number; json?: boolean;
}
export interface VaultConsolidateOpts {
  vault: string; identity: string; recipient: string[]; signingKey: string; passphraseEnv?: string; passphrasePrompt?: boolean; allowRollback?: string; json?: boolean;
}
export interface VaultPruneOpts {
  vault: string; keepDaily: number; keepWeekly: number; keepMonthly: number; keepYearly: number; apply?: boolean; json?: boolean;
}
export interface VerifyOpts {
  identity?: string; passphraseEnv?: string; passphrasePrompt?: boolean; signer?: string; readData?: boolean; sample?: number; json?: boolean;
}
export interface RestoreOpts {
  /** One profile, or several (`--target` repeated: recovery apps of one tenant). */
  target: string | string[]; identity: string; passphraseEnv?: string; passphrasePrompt?: boolean; signer?: string;
  scenario: 'tenant-loss' | 'all-admins-deleted' | 'objects' | 'attributes';
  objects?: string; attributes?: string; allowRollback?: string; allowBadSignature?: string; json?: boolean;
  confirm?: string; resume?: boolean; journal?: string; enableCa?: boolean; credentialsOut?: string; operatorRecipient?: string;
  /** plan and restore: the reviewed plan's canonical sha256 (PLAN_CHANGED when it differs). */
  expectPlan?: string;
  /** restore: operations in flight (1..64); also caps Graph requests in flight (default 4). */
  concurrency?: number;
  /** plan: the text form of the same plan also goes to this file (with `--json` on stdout, one read for both). */
  textOut?: string;
  /** plan: the archive-against-target diff of the same read, as `diff --json` prints it. */
  diffOut?: string;
  /** plan: the runbook of the same plan (Markdown), HTML beside it with runbookHtml, with these contact lines. */
  runbookOut?: string; runbookHtml?: boolean; contact?: string[];
}
/** `diff`: `--target` or a second archive; `--markdown` and `--allow-different-tenants` with two archives. */
export interface DiffOpts extends Omit<RestoreOpts, 'target'> {
  target?: string | string[]; markdown?: boolean; allowDifferentTenants?: boolean;
}
export interface DrillOpts {
  scenario: 'tenant-loss' | 'all-admins-deleted'; users: number; seed: number; out: string; faults?: string; json?: boolean;
  /** tenant-loss: recovery apps the restore writes through (issue 17 item 3). */
  recoveryApps?: number;
}
