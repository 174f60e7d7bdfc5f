import * as fs from 'node:fs';

/** A file's text, or undefined when it (or its folder) does not exist. Other errors throw. */
export function readTextFileIfExists(filePath: string): string | undefined {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
