// Platforms (`os/architecture[/variant]`) as the engine reads and matches them: one parser,
// one matcher and one formatter for pinning, the Registries view, Local Images and Layers.
// No `vscode` import.

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const ARCHITECTURE_ALIASES: Record<string, { architecture: string; variant?: string }> = {
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  aarch64: { architecture: 'arm64' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armel: { architecture: 'arm', variant: 'v6' },
  i386: { architecture: '386' },
  i686: { architecture: '386' },
  x86: { architecture: '386' },
};

/** `linux/arm64`, `linux/arm/v7`, `windows/amd64` -> parts, lowercased with the engine's aliases (aarch64 -> arm64); undefined when not os/arch[/variant]. */
export function parsePlatform(text: string): Platform | undefined {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[a-z0-9._-]+$/.test(part))) return undefined;
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  const alias = ARCHITECTURE_ALIASES[architecture];
  const platform: Platform = { os, architecture: alias?.architecture ?? architecture };
  const chosenVariant = variant ?? alias?.variant;
  if (chosenVariant !== undefined) platform.variant = chosenVariant;
  return platform;
}

/** The variant an image without one has, as containerd normalizes it: arm64 is v8, arm is v7, amd64 is v1. */
function normalizedVariant(architecture: string, variant: string | undefined): string {
  if (variant) return variant.toLowerCase();
  if (architecture === 'arm64') return 'v8';
  if (architecture === 'arm') return 'v7';
  if (architecture === 'amd64') return 'v1';
  return '';
}

function normalized(platform: Platform): Platform & { variant: string } {
  const alias = ARCHITECTURE_ALIASES[platform.architecture.toLowerCase()];
  const architecture = alias?.architecture ?? platform.architecture.toLowerCase();
  return { os: platform.os.toLowerCase(), architecture, variant: normalizedVariant(architecture, platform.variant ?? alias?.variant) };
}

/** Whether an index entry is the image for `wanted`: same os and architecture, variants equal once normalized (`linux/arm64` takes v8 or none). */
export function platformMatches(entry: Platform, wanted: Platform): boolean {
  const a = normalized(entry);
  const b = normalized(wanted);
  return a.os === b.os && a.architecture === b.architecture && a.variant === b.variant;
}

/** The first entry for `wanted`: an exact variant first (`linux/arm64/v8` over `linux/arm64`), then a normalized match. */
export function findPlatform<T extends Platform>(entries: readonly T[], wanted: Platform): T | undefined {
  const exact = entries.find((entry) => entry.os === wanted.os && entry.architecture === wanted.architecture && (entry.variant ?? '') === (wanted.variant ?? ''));
  return exact ?? entries.find((entry) => platformMatches(entry, wanted));
}

/** `linux/arm64`, `linux/arm/v7`; the parts a platform has (an image config may leave some out). */
export function formatPlatform(platform: Partial<Platform>): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}
