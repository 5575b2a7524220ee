/** Sizes are strings such as `500MB`, `5GB`, `1.5TiB` (decimal and binary units). */

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

export type SizeResult = { ok: true; bytes: number } | { ok: false; message: string };

export function parseSize(text: string): SizeResult {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
  const factor = match?.[2] ? UNITS[match[2].toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    return { ok: false, message: `${JSON.stringify(text)} is not a size (try "5GB" or "500MB")` };
  }
  return { ok: true, bytes: Math.round(Number(match[1]) * factor) };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
