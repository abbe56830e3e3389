/**
 * Memory marks at the restore's phase ends (issue 17 item 1: where the client's peak is). A
 * no-op unless a probe is installed; the CLI installs one when ENTRA_VAULT_MEMLOG names a file
 * (src/cli/mem-log.ts). The product never depends on it.
 */
export type MemProbe = (label: string) => void;

let probe: MemProbe | undefined;

/** Installs (or, with undefined, removes) the probe that receives every mark. */
export function setMemProbe(p: MemProbe | undefined): void {
  probe = p;
}

/** Marks the end of a phase (`live`, `plan`, `store-plan`, `execute:tier3`, …). */
export function memMark(label: string): void {
  probe?.(label);
}

/**
 * A counter that marks `label` once every `every` calls: for a long step whose garbage, not what it
 * keeps, sets its peak (in the CLI each mark is a full collection, src/cli/mem-log.ts).
 */
export function memMarkEvery(label: string, every: number): () => void {
  let n = 0;
  return () => {
    if (++n % every === 0) memMark(label);
  };
}
