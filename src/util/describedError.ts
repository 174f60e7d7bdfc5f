/**
 * An error whose message is already the sentence a person reads (what, why, what to do).
 * Layers that wrap failures pass these through unchanged.
 */
export class DescribedError extends Error {}
