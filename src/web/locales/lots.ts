// Words of the lots area, in Spanish (default) and English.
export default {
  es: {
  } as Record<string, string>,
  en: {
  } as Record<string, string>,
};
