// Client for the harness's UI bridge. `npm run test:vscode` runs mocha inside the extension host while the
// workbench is a page in Chromium that only the harness can drive; it serves a small HTTP endpoint on 127.0.0.1
// (RELAYOUT_UI_BRIDGE) that performs Playwright actions on that page for the tests.

export const uiBridgeUrl = process.env.RELAYOUT_UI_BRIDGE;

const noBridgeReason =
  'needs the Playwright UI bridge of `npm run test:vscode` (desktop VS Code runs have no browser page to drive)';

/** For a suite's `before` hook: skips the suite, saying why, when there is no UI bridge to drive the page. */
export function skipWithoutUiBridge(context: Mocha.Context): void {
  if (uiBridgeUrl) return;
  console.log(`Skipping "${context.test?.parent?.title}": ${noBridgeReason}`);
  context.skip();
}

/** `webview: true` looks inside the webviews (their nested iframes) instead of the workbench; state `visible` only. */
export type UiAction =
  | { action: 'click'; selector: string; hasText?: string; button?: 'left' | 'right'; webview?: boolean }
  | { action: 'waitFor'; selector: string; hasText?: string; state?: 'visible' | 'hidden'; webview?: boolean }
  | { action: 'text'; selector: string; hasText?: string; webview?: boolean }
  | { action: 'press'; key: string }
  | { action: 'type'; text: string }
  | { action: 'screenshot'; name: string };

/** Performs one action on the workbench page; resolves with what the action returns (text, screenshot path). */
export async function ui(request: UiAction & { timeoutMs?: number }): Promise<string | undefined> {
  if (!uiBridgeUrl) throw new Error(noBridgeReason);
  const response = await fetch(`${uiBridgeUrl}/ui`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { ok: boolean; value?: string; error?: string };
  if (!body.ok) throw new Error(`UI bridge ${request.action} failed: ${body.error}`);
  return body.value;
}
