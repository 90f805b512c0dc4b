/**
 * Master-file tokenizer (RFC 1035 §5.1): splits text into entries (logical lines) of
 * tokens. Parentheses join physical lines; `;` starts a comment; `"..."` quotes keep
 * spaces (a quote may start mid-token, as in SVCB `alpn="h2,h3"`, RFC 9460 §2.1);
 * backslash escapes are kept intact for the codecs to decode. An entry whose first
 * physical line starts with a blank has no owner (it inherits the previous one).
 */
import { ZoneParseError } from '../errors.js';

export interface Token {
  /** Text with quotes removed and escapes intact. */
  readonly text: string;
  /** True when the token began with a quote (so `"\#"` or `"@"` are not special). */
  readonly quoted: boolean;
  readonly line: number;
}

export interface Entry {
  readonly line: number;
  readonly ownerBlank: boolean;
  readonly tokens: readonly Token[];
}

export function tokenize(text: string, file: string): Entry[] {
  const entries: Entry[] = [];
  let line = 1;
  let tokens: Token[] = [];
  let entryLine = 1;
  let ownerBlank = false;
  let atLineStart = true;
  let parenLine = 0; // line of the open parenthesis, 0 when none is open
  let current: string | undefined;
  let currentQuoted = false;
  let currentLine = 1;

  const endToken = () => {
    if (current !== undefined) tokens.push({ text: current, quoted: currentQuoted, line: currentLine });
    current = undefined;
    currentQuoted = false;
  };
  const startToken = (quoted: boolean) => {
    if (current === undefined) {
      current = '';
      currentQuoted = quoted;
      currentLine = line;
    }
  };
  const endEntry = () => {
    endToken();
    if (tokens.length > 0) entries.push({ line: entryLine, ownerBlank, tokens });
    tokens = [];
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (atLineStart && parenLine === 0) {
      entryLine = line;
      ownerBlank = ch === ' ' || ch === '\t';
    }
    atLineStart = false;
    if (ch === '\n') {
      endToken();
      if (parenLine === 0) endEntry();
      line++;
      atLineStart = true;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      endToken();
    } else if (ch === ';') {
      endToken();
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (ch === '(') {
      endToken();
      if (parenLine !== 0) throw new ZoneParseError('zone-nested-parens', 'nested parentheses', file, line);
      parenLine = line;
    } else if (ch === ')') {
      endToken();
      if (parenLine === 0) throw new ZoneParseError('zone-unbalanced-parens', "')' without '('", file, line);
      parenLine = 0;
    } else if (ch === '"') {
      startToken(true);
      const start = line;
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\') j++;
        if (j >= text.length || text[j] === '\n') {
          throw new ZoneParseError('zone-unterminated-quote', 'unterminated quoted string', file, start);
        }
      }
      if (j >= text.length)
        throw new ZoneParseError('zone-unterminated-quote', 'unterminated quoted string', file, start);
      current += text.slice(i + 1, j);
      i = j;
    } else if (ch === '\\') {
      startToken(false);
      const next = text[i + 1];
      if (next === undefined || next === '\n') {
        throw new ZoneParseError('zone-bad-escape', 'backslash at the end of a line', file, line);
      }
      current += ch + next;
      i++;
    } else {
      startToken(false);
      current += ch;
    }
  }
  if (parenLine !== 0)
    throw new ZoneParseError('zone-unbalanced-parens', "'(' is never closed", file, parenLine);
  endEntry();
  return entries;
}
