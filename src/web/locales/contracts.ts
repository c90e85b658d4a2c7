// Words of the contracts area, in Spanish (default) and English.
export default {
  es: {
  } as Record<string, string>,
  en: {
  } as Record<string, string>,
};
