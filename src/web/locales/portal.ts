// Words of the portal area, in Spanish (default) and English.
export default {
  es: {
  } as Record<string, string>,
  en: {
  } as Record<string, string>,
};
