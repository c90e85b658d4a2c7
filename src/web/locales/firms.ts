// Words of the firms area, in Spanish (default) and English.
export default {
  es: {
  } as Record<string, string>,
  en: {
  } as Record<string, string>,
};
