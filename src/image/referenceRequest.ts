// What a person types to pull: a reference, and optionally `--platform os/arch[/variant]`.

import { type ImageReference, parseReference, withDefaultTag } from './reference';

export interface ReferenceRequest {
  reference: ImageReference;
  platform?: string;
}

const PLATFORM = /\s+--platform[ =](\S+)\s*$/;
const PLATFORM_SHAPE = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

/** Parses "nginx:1.27 --platform linux/arm64"; throws ImageReferenceError or Error with the reason. */
export function parseReferenceRequest(text: string): ReferenceRequest {
  const platform = PLATFORM.exec(text)?.[1];
  if (platform !== undefined && !PLATFORM_SHAPE.test(platform)) {
    throw new Error(`"${platform}" is not a platform: write os/arch or os/arch/variant, such as linux/arm64 or linux/arm/v7.`);
  }
  const reference = withDefaultTag(parseReference(text.replace(PLATFORM, '')));
  return { reference, platform };
}
