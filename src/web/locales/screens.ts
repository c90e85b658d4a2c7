// Words of the screens work (paging, confirmations, messages after saving): shared by several areas.
export default {
  es: {
    'paging.showing': 'Mostrando {first}–{last} de {total}',
    'paging.none': 'Ningún resultado.',
    'paging.label': 'Páginas',
    'paging.prev': '← Anterior',
    'paging.next': 'Siguiente →',
    'paging.page_n': 'Página {n}',
    'lots.search': 'Código',
    'lots.search_hint': 'A-03',
  },
  en: {
    'paging.showing': 'Showing {first}–{last} of {total}',
    'paging.none': 'No results.',
    'paging.label': 'Pages',
    'paging.prev': '← Previous',
    'paging.next': 'Next →',
    'paging.page_n': 'Page {n}',
    'lots.search': 'Code',
    'lots.search_hint': 'A-03',
  },
};
