import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type FontMetrics, parseFontMetrics } from './font-metrics.js';

/**
 * The font every chart is drawn with, shipped in the repo (assets/fonts, SIL Open Font License): slim
 * containers have no fonts, and resvg without one draws no text at all — a chart with no labels.
 */
export const FONT_FAMILY = 'Inter';

/**
 * The repository's assets/fonts: two folders up from this module when it runs as TypeScript (src/charts), three
 * when it runs compiled (dist/src/charts, as `npm start` and the image run it).
 */
function fontFolder(): string {
  const candidates = ['../../assets/fonts/', '../../../assets/fonts/'].map((path) =>
    fileURLToPath(new URL(path, import.meta.url)),
  );
  return candidates.find((folder) => existsSync(folder)) ?? (candidates[0] as string);
}

/** The regular and the semibold (weight 600) face, as resvg's `fontFiles` takes them. */
export const BUNDLED_FONT_FILES: readonly string[] = ['Inter-Regular.ttf', 'Inter-SemiBold.ttf'].map(
  (name) => `${fontFolder()}${name}`,
);

export interface BundledFont {
  readonly files: readonly string[];
  /** Width in px of `text` in a CSS font such as `600 18px Inter` (only the size and the weight are read). */
  measure(text: string, cssFont: string): number;
}

let loaded: BundledFont | undefined;

/** Reads and parses the two faces once per process; throws at once when they are missing (no silent labels-less charts). */
export function bundledFont(): BundledFont {
  if (!loaded) {
    const [regular, semibold] = BUNDLED_FONT_FILES.map((file) => parseFontMetrics(readFileSync(file)));
    if (!regular || !semibold) throw new Error('bundled chart fonts are missing');
    loaded = {
      files: BUNDLED_FONT_FILES,
      measure: (text, cssFont) => measureCss(text, cssFont, regular, semibold),
    };
  }
  return loaded;
}

const DEFAULT_SIZE_PX = 12;

function measureCss(text: string, cssFont: string, regular: FontMetrics, semibold: FontMetrics): number {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(cssFont)?.[1] ?? DEFAULT_SIZE_PX);
  const bold = /\b(bold|bolder|[6-9]00)\b/.test(cssFont);
  return (bold ? semibold : regular).measure(text, size);
}
