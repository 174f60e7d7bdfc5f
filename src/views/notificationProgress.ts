// Progress notifications that always close. A notification whose task ends within a few
// hundred milliseconds of its start can stay on screen, spinning, after the work is done
// (seen in VS Code 1.100's workbench): keeping each one open for a short minimum avoids
// that, and a flash of a notification that vanishes at once is no use to anyone anyway.

import * as vscode from 'vscode';

const MINIMUM_VISIBLE_MS = 600;

export async function withNotificationProgress<T>(
  options: Omit<vscode.ProgressOptions, 'location'>,
  task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Promise<T>,
): Promise<T> {
  return vscode.window.withProgress({ ...options, location: vscode.ProgressLocation.Notification }, async (progress, token) => {
    const started = Date.now();
    try {
      return await task(progress, token);
    } finally {
      const remaining = MINIMUM_VISIBLE_MS - (Date.now() - started);
      if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
    }
  });
}
