// The two Markdown pieces every tooltip and hover builds from, without VS Code: text shown as
// code, and text escaped so an image's names and messages are never read as Markdown.

/** `` `text` ``, a backtick inside replaced so it cannot end the span. */
export function markdownCode(text: string): string {
  return '`' + text.replace(/`/g, "'") + '`';
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
