import { createElement, type ReactNode } from 'react';
import { Lexer, type Token, type Tokens } from 'marked';
import { Typography } from 'antd';

// Markdown → React via marked's lexer only (never its HTML output), so no string of HTML is ever
// injected: "html" tokens are shown as text and URLs are checked.

const SAFE_LINK = /^(https?:|mailto:|\/|#|\.{0,2}\/)|^[^:]*$/i;
const SAFE_IMG = /^(https?:|\/|\.{0,2}\/)|^[^:]*$/i;

function unescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _);
}

function inline(tokens: Token[] | undefined, key = ''): ReactNode[] {
  return (tokens ?? []).map((t, i) => inlineToken(t, `${key}${i}`));
}

function inlineToken(t: Token, key: string): ReactNode {
  switch (t.type) {
    case 'strong':
      return <strong key={key}>{inline((t as Tokens.Strong).tokens, key)}</strong>;
    case 'em':
      return <em key={key}>{inline((t as Tokens.Em).tokens, key)}</em>;
    case 'del':
      return <del key={key}>{inline((t as Tokens.Del).tokens, key)}</del>;
    case 'codespan':
      return <Typography.Text code key={key}>{unescape((t as Tokens.Codespan).text)}</Typography.Text>;
    case 'br':
      return <br key={key} />;
    case 'link': {
      const l = t as Tokens.Link;
      const ok = SAFE_LINK.test(l.href.trim());
      return ok ? (
        <a key={key} href={l.href} title={l.title ?? undefined} target="_blank" rel="noopener noreferrer">
          {inline(l.tokens, key)}
        </a>
      ) : (
        <span key={key}>{inline(l.tokens, key)}</span>
      );
    }
    case 'image': {
      const im = t as Tokens.Image;
      return SAFE_IMG.test(im.href.trim()) ? <img key={key} src={im.href} alt={im.text} title={im.title ?? undefined} style={{ maxWidth: '100%' }} /> : <span key={key}>{im.text}</span>;
    }
    case 'text': {
      const tx = t as Tokens.Text;
      return tx.tokens ? <span key={key}>{inline(tx.tokens, key)}</span> : unescape(tx.text);
    }
    case 'escape':
      return unescape((t as Tokens.Escape).text);
    case 'html':
      return (t as Tokens.HTML).text;
    default:
      return 'raw' in t ? String(t.raw) : null;
  }
}

function block(t: Token, key: string): ReactNode {
  switch (t.type) {
    case 'heading': {
      const h = t as Tokens.Heading;
      return createElement(`h${Math.min(6, Math.max(1, h.depth))}`, { key }, inline(h.tokens, key));
    }
    case 'paragraph':
      return <p key={key}>{inline((t as Tokens.Paragraph).tokens, key)}</p>;
    case 'text': {
      const tx = t as Tokens.Text;
      return <span key={key}>{tx.tokens ? inline(tx.tokens, key) : unescape(tx.text)}</span>;
    }
    case 'code': {
      const c = t as Tokens.Code;
      return (
        <pre key={key} data-lang={c.lang || undefined} style={{ overflow: 'auto' }}>
          <code>{c.text}</code>
        </pre>
      );
    }
    case 'blockquote':
      return <blockquote key={key}>{(t as Tokens.Blockquote).tokens.map((x, i) => block(x, `${key}-${i}`))}</blockquote>;
    case 'list': {
      const l = t as Tokens.List;
      const items = l.items.map((it, i) => (
        <li key={i}>
          {it.task ? <input type="checkbox" checked={!!it.checked} readOnly disabled style={{ marginInlineEnd: 6 }} /> : null}
          {it.tokens.map((x, j) => block(x, `${key}-${i}-${j}`))}
        </li>
      ));
      return l.ordered ? (
        <ol key={key} start={typeof l.start === 'number' ? l.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'table': {
      const tb = t as Tokens.Table;
      return (
        <table key={key}>
          <thead>
            <tr>
              {tb.header.map((c, i) => (
                <th key={i} style={{ textAlign: c.align ?? undefined }}>
                  {inline(c.tokens, `${key}h${i}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {tb.rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j} style={{ textAlign: c.align ?? undefined }}>
                    {inline(c.tokens, `${key}r${i}c${j}`)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    case 'hr':
      return <hr key={key} />;
    case 'space':
      return null;
    case 'html':
      // Raw HTML is shown, never interpreted.
      return (
        <pre key={key} style={{ whiteSpace: 'pre-wrap' }}>
          {(t as Tokens.HTML).text}
        </pre>
      );
    default:
      return <p key={key}>{'raw' in t ? String(t.raw) : ''}</p>;
  }
}

export function renderMarkdown(src: string): ReactNode[] {
  const tokens = new Lexer({ gfm: true, breaks: false }).lex(src);
  return tokens.map((t, i) => block(t, String(i)));
}
