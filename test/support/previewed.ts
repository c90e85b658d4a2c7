// The previewed copy a preview page carries (src/web/previewed.ts), read as a browser would send it.

/** The previewed_* hidden fields of a page, by name, their values unescaped. */
export function previewedFrom(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="(previewed_\w+)" value="([^"]*)">/g)) {
    out[m[1]!] = m[2]!.replace(/&#x3D;/g, '=').replace(/&#x2F;/g, '/').replace(/&quot;/g, '"').replace(/&#x27;/g, "'")
      .replace(/&#x60;/g, '`').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return out;
}

export const STALE_PREVIEW = 'La vista previa ya no corresponde a los datos del formulario: revise la nueva vista previa y confirme de nuevo.';
