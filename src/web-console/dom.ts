/// <reference lib="dom" />
// Small DOM and API helpers for the console: no framework, a few functions.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | ((event: Event) => void) | undefined>;

/** `h('div', { class: 'x', onclick: fn }, child, …)`: an element with attributes, listeners and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (name === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
}

export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** An admin API failure: the JSON `{code, message}` the emulator answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Same-origin JSON calls to the admin API (the /-/ guard refuses forms and other origins). */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) throw new ApiError(res.status, String(json.code ?? res.status), String(json.message ?? res.statusText));
  return json as T;
}

export const enc = encodeURIComponent;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export const formatTime = (ms: number): string => new Date(ms).toLocaleTimeString(undefined, { hour12: false });
export const formatDateTime = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

/** A button that copies `text` and says so. */
export function copyButton(text: () => string, label = 'Copy'): HTMLButtonElement {
  const button = h(
    'button',
    {
      class: 'small',
      type: 'button',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(text());
          button.textContent = 'Copied';
        } catch {
          button.textContent = 'Select and copy';
        }
        setTimeout(() => (button.textContent = label), 1500);
      },
    },
    label,
  );
  return button;
}

/** A read-only field with a copy button. */
export function copyField(label: string, value: string, testId: string): HTMLElement {
  const input = h('input', {
    readonly: true,
    value,
    'data-testid': testId,
    class: 'mono',
    onfocus: (e) => (e.target as HTMLInputElement).select(),
  });
  return h(
    'div',
    { class: 'copy-field' },
    h('label', {}, label),
    h(
      'div',
      { class: 'row' },
      input,
      copyButton(() => input.value),
    ),
  );
}
