import { useLayoutEffect, useRef } from 'preact/hooks';
import renderMathInElement from 'katex/contrib/auto-render';
import 'katex/dist/katex.min.css';

const DELIMITERS = [
  { left: '\\(', right: '\\)', display: false },
  { left: '\\[', right: '\\]', display: true },
];

/**
 * Question content: the server accepts only a checked HTML subset on import (no scripts, no
 * handlers, no remote images), so it is rendered as is; TeX between \( \) or \[ \] goes to KaTeX.
 */
export function Content({ html, class: cls, inline }: { html: string; class?: string; inline?: boolean }) {
  const ref = useRef<HTMLDivElement & HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.innerHTML = html;
    if (html.includes('\\(') || html.includes('\\[')) renderMathInElement(el, { delimiters: DELIMITERS, throwOnError: false });
  }, [html]);
  return inline ? <span ref={ref} class={cls} /> : <div ref={ref} class={cls} />;
}
