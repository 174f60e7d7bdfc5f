// The Layers panel's DOM helpers. Image data is attacker-controlled: these write text and
// attributes only, never HTML.

export interface Props {
  id?: string;
  className?: string;
  title?: string;
  role?: string;
  ariaLabel?: string;
  ariaHidden?: 'true';
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, children: Node[] = []): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.id) element.id = props.id;
  if (props.className) element.className = props.className;
  if (props.title) element.title = props.title;
  if (props.role) element.setAttribute('role', props.role);
  if (props.ariaLabel) element.setAttribute('aria-label', props.ariaLabel);
  if (props.ariaHidden) element.setAttribute('aria-hidden', props.ariaHidden);
  element.append(...children);
  return element;
}

export function text(value: string): Text {
  return document.createTextNode(value);
}

export function icon(name: string): HTMLElement {
  const span = el('span', { className: `codicon codicon-${name}`, ariaHidden: 'true' });
  return span;
}

export function badge(value: string, className: string): HTMLElement {
  const element = document.createElement('vscode-badge');
  element.className = className;
  element.textContent = value;
  return element;
}
