// Words for input the app refuses at its edge: bounds on amounts, rates and areas, ambiguous
// figures, and requests the server cannot read at all (too large, wrong encoding).
export default {
  es: {
    'errors.amount_ambiguous': 'Monto ambiguo: use punto para los decimales (hasta dos) y, si quiere, coma para los miles (ej. 18,049.50 o 18049.50).',
    'errors.amount_negative': 'El monto no puede ser negativo.',
    'errors.amount_max': 'El monto no puede pasar de {max}.',
    'errors.percent_max': 'El porcentaje no puede pasar de {max} %.',
    'errors.area_max': 'El área no puede pasar de {max} (el parque entero).',
    'errors.repeated': 'Este campo se envió más de una vez; envíelo una sola vez.',
    'errors.title.413': 'Solicitud demasiado grande',
    'errors.title.415': 'Formato no admitido',
    'errors.body_too_large': 'Lo enviado es demasiado grande. Nada se guardó.',
    'errors.body_encoding': 'Lo enviado viene en una codificación que el sistema no admite. Nada se guardó.',
    'errors.body_invalid': 'No se pudo leer lo enviado. Nada se guardó. Vuelva a cargar la página e inténtelo de nuevo.',
  },
  en: {
    'errors.amount_ambiguous': 'Ambiguous amount: use a point for decimals (at most two) and, if you like, commas for thousands (e.g. 18,049.50 or 18049.50).',
    'errors.amount_negative': 'The amount cannot be negative.',
    'errors.amount_max': 'The amount cannot exceed {max}.',
    'errors.percent_max': 'The percentage cannot exceed {max}%.',
    'errors.area_max': 'The area cannot exceed {max} (the whole park).',
    'errors.repeated': 'This field was sent more than once; send it once.',
    'errors.title.413': 'Request too large',
    'errors.title.415': 'Unsupported format',
    'errors.body_too_large': 'What was sent is too large. Nothing was saved.',
    'errors.body_encoding': 'What was sent uses an encoding the system does not accept. Nothing was saved.',
    'errors.body_invalid': 'What was sent could not be read. Nothing was saved. Reload the page and try again.',
  },
};
