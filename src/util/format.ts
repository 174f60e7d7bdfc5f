// Human-readable sizes and ages, in the style of the docker CLI ("7.7 MB", "3 days ago").

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal units, as `docker images` prints them. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  const digits = value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${SIZE_UNITS[unit]}`;
}

const AGE_STEPS: Array<[seconds: number, unit: string]> = [
  [365 * 24 * 3600, 'year'],
  [30 * 24 * 3600, 'month'],
  [7 * 24 * 3600, 'week'],
  [24 * 3600, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
];

export function formatAge(createdMs: number, nowMs: number = Date.now()): string {
  if (!Number.isFinite(createdMs) || createdMs <= 0) return 'unknown age';
  const seconds = Math.floor((nowMs - createdMs) / 1000);
  if (seconds < 0) return 'in the future';
  if (seconds < 60) return 'just now';
  for (const [size, unit] of AGE_STEPS) {
    if (seconds >= size) {
      const count = Math.floor(seconds / size);
      return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

/** `sha256:0123…` -> `0123456789ab`, the 12-character form the docker CLI shows. */
export function shortImageId(id: string): string {
  const hex = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
  return hex.slice(0, 12);
}

/** `sha256:0123…` -> `sha256:0123456789ab`: the algorithm kept, the hex cut to 12. */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}

/** `2024-05-01 14:03`, local time. */
export function formatDateTime(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return 'unknown';
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
