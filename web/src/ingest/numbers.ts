// Locale-aware number parsing for CSV cells: decimal comma or point, thousands separators,
// quoted numbers, currency symbols, percent signs, and the usual spellings of "missing".

export const MISSING = -1;
export const NUMBER = 0;
export const TEXT = 1;

const MISSING_TOKENS = new Set([
  '', 'na', 'n/a', 'nan', 'null', 'none', 'nil', '-', '--', '#n/a', '#na', '?', '.', 'missing', '#value!', '#div/0!',
]);

export function isMissingToken(s: string): boolean {
  if (s.length === 0) return true;
  if (s.length > 8) return false;
  return MISSING_TOKENS.has(s.trim().toLowerCase());
}

const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const COMMA_DECIMAL = /^[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?$/;
const THOUSANDS_COMMA = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;
const THOUSANDS_DOT = /^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$/;
const THOUSANDS_SPACE = /^[+-]?\d{1,3}(?:[ \u00a0\u202f'’]\d{3})+(?:[.,]\d*)?$/;

export interface NumberFormat {
  decimal: ',' | '.';
}

/**
 * Parse one cell. Returns the number and sets `out.kind` to NUMBER, MISSING or TEXT.
 * Fast path first: plain numbers in the file's decimal convention.
 */
export class NumberParser {
  kind = NUMBER;
  constructor(readonly decimal: ',' | '.') {}

  parse(raw: string): number {
    let s = raw;
    if (this.decimal === '.') {
      // Fast path without a regex: Number() accepts exactly the plain forms, plus a few we must
      // refuse (hex/binary/octal literals, Infinity, blank) — those end in a non-digit or start with 0x.
      const n = s.length;
      if (n > 0) {
        const last = s.charCodeAt(n - 1);
        if ((last >= 48 && last <= 57) || last === 46) {
          const v = +s;
          if (v === v) {
            const second = n > 2 ? s.charCodeAt(1) | 32 : 0;
            if (!(s.charCodeAt(0) === 48 && (second === 120 || second === 98 || second === 111))) {
              this.kind = NUMBER;
              return v;
            }
          }
        }
      }
    } else if (COMMA_DECIMAL.test(s)) {
      this.kind = NUMBER;
      return Number(s.replace(',', '.'));
    }
    if (isMissingToken(s)) {
      this.kind = MISSING;
      return NaN;
    }
    s = s.trim();
    if (s.length === 0) {
      this.kind = MISSING;
      return NaN;
    }
    let sign = 1;
    // Accounting negatives: (123.45)
    if (s.charCodeAt(0) === 40 /* ( */ && s.charCodeAt(s.length - 1) === 41 /* ) */) {
      sign = -1;
      s = s.slice(1, -1).trim();
    }
    // Currency symbols and codes before or after the number.
    s = s.replace(/^[$€£¥₹]\s*/, '').replace(/\s*(?:[$€£¥₹]|EUR|USD|GBP)$/, '');
    if (s.startsWith('-') || s.startsWith('+')) {
      if (s.startsWith('-')) sign = -sign;
      s = s.slice(1).replace(/^[$€£¥₹]\s*/, '');
    }
    let scale = 1;
    if (s.endsWith('%')) {
      scale = 0.01;
      s = s.slice(0, -1).trim();
    }
    let v = NaN;
    if (this.decimal === '.') {
      if (PLAIN.test(s)) v = Number(s);
      else if (THOUSANDS_COMMA.test(s)) v = Number(s.replace(/,/g, ''));
      else if (THOUSANDS_SPACE.test(s)) v = Number(s.replace(/[ \u00a0\u202f'’]/g, '').replace(',', '.'));
    } else {
      if (COMMA_DECIMAL.test(s)) v = Number(s.replace(',', '.'));
      else if (THOUSANDS_DOT.test(s)) v = Number(s.replace(/\./g, '').replace(',', '.'));
      else if (THOUSANDS_SPACE.test(s)) v = Number(s.replace(/[ \u00a0\u202f'’]/g, '').replace(',', '.'));
      else if (PLAIN.test(s)) v = Number(s);
    }
    if (Number.isFinite(v)) {
      this.kind = NUMBER;
      return sign * v * scale;
    }
    this.kind = TEXT;
    return NaN;
  }
}

/** Which decimal separator a sample of cells suggests. */
export function guessDecimal(cells: string[], delimiter: string): { decimal: ',' | '.'; thousands: string | null } {
  let commaDec = 0;
  let dotDec = 0;
  let commaThousands = 0;
  let dotThousands = 0;
  let spaceThousands = 0;
  for (const raw of cells) {
    const s = raw.trim();
    if (s.length === 0 || s.length > 40) continue;
    if (/^[+-]?\d+,\d+$/.test(s)) {
      // "1,234" is ambiguous (thousands or decimal); "1,5" or "12,3456" are decimals.
      if (/^[+-]?\d{1,3},\d{3}$/.test(s)) commaThousands += 0.5;
      else commaDec++;
    } else if (/^[+-]?\d+\.\d+$/.test(s)) {
      if (/^[+-]?\d{1,3}\.\d{3}$/.test(s)) dotThousands += 0.25;
      dotDec++;
    } else if (THOUSANDS_DOT.test(s) && s.includes(',')) {
      commaDec++;
      dotThousands++;
    } else if (THOUSANDS_COMMA.test(s)) {
      commaThousands++;
      if (s.includes('.')) dotDec++;
    } else if (THOUSANDS_SPACE.test(s)) spaceThousands++;
  }
  // A comma-delimited file can only have decimal commas inside quotes; rare, but allowed.
  const decimal: ',' | '.' = commaDec > dotDec && (delimiter !== ',' || commaDec > 2 * dotDec) ? ',' : '.';
  let thousands: string | null = null;
  if (decimal === ',' && dotThousands > 0) thousands = '.';
  else if (decimal === '.' && commaThousands >= 1) thousands = ',';
  else if (spaceThousands > 0) thousands = ' ';
  return { decimal, thousands };
}
