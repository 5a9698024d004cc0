/**
 * Advance widths of a TrueType/OpenType font, read from its `cmap` (format 4) and `hmtx` tables. ECharts lays
 * out labels, backgrounds and legends by measuring text; without a browser it would guess with generic
 * widths, so boxes would not fit the text resvg then draws with the real font. Kerning is ignored (a pixel
 * or two on a label).
 */
export interface FontMetrics {
  /** Width in px of `text` at `sizePx`. */
  measure(text: string, sizePx: number): number;
}

interface Table {
  readonly offset: number;
}

export function parseFontMetrics(font: Uint8Array): FontMetrics {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tables = tableDirectory(view);
  const head = required(tables, 'head');
  const hhea = required(tables, 'hhea');
  const hmtx = required(tables, 'hmtx');
  const unitsPerEm = view.getUint16(head.offset + 18);
  const metricCount = view.getUint16(hhea.offset + 34);
  const glyphOf = cmapFormat4(view, required(tables, 'cmap').offset);
  const advance = (glyph: number) => view.getUint16(hmtx.offset + 4 * Math.min(glyph, metricCount - 1));
  const cache = new Map<number, number>();
  const unitsOf = (codePoint: number): number => {
    let units = cache.get(codePoint);
    if (units === undefined) {
      units = advance(glyphOf(codePoint));
      cache.set(codePoint, units);
    }
    return units;
  };
  return {
    measure(text, sizePx) {
      let units = 0;
      for (const char of text) units += unitsOf(char.codePointAt(0) ?? 0);
      return (units * sizePx) / unitsPerEm;
    },
  };
}

function tableDirectory(view: DataView): Map<string, Table> {
  const tables = new Map<string, Table>();
  const count = view.getUint16(4);
  for (let i = 0; i < count; i++) {
    const record = 12 + 16 * i;
    const tag = String.fromCharCode(...[0, 1, 2, 3].map((k) => view.getUint8(record + k)));
    tables.set(tag, { offset: view.getUint32(record + 8) });
  }
  return tables;
}

function required(tables: Map<string, Table>, tag: string): Table {
  const table = tables.get(tag);
  if (!table) throw new Error(`font has no ${tag} table`);
  return table;
}

/** The glyph of a code point through the Windows Unicode BMP subtable (platform 3, encoding 1, format 4). */
function cmapFormat4(view: DataView, cmap: number): (codePoint: number) => number {
  const subtable = unicodeSubtable(view, cmap);
  const segments = view.getUint16(subtable + 6) / 2;
  const ends = subtable + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  return (codePoint) => {
    for (let i = 0; i < segments; i++) {
      if (view.getUint16(ends + 2 * i) < codePoint) continue;
      const start = view.getUint16(starts + 2 * i);
      if (start > codePoint) return 0;
      const delta = view.getUint16(deltas + 2 * i);
      const rangeOffset = view.getUint16(rangeOffsets + 2 * i);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsets + 2 * i + rangeOffset + 2 * (codePoint - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

function unicodeSubtable(view: DataView, cmap: number): number {
  const count = view.getUint16(cmap + 2);
  for (let i = 0; i < count; i++) {
    const record = cmap + 4 + 8 * i;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    const subtable = cmap + view.getUint32(record + 4);
    if (platform === 3 && encoding === 1 && view.getUint16(subtable) === 4) return subtable;
  }
  throw new Error('font has no Unicode BMP (format 4) cmap subtable');
}
