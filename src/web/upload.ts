// Receiving a multipart upload: multer parses it before the CSRF check (the token travels in the multipart
// body; routing.ts runs a route's `before` after the role check). A refusal of the parser (a file over the
// limit, an unexpected field, too many parts) is not an exception: it is left in res.locals.uploadError as
// the message key the form shows (status 400), and the route answers with its page.
import type { RequestHandler } from 'express';
import multer from 'multer';

/** `parse` is a configured multer handler (`multer({...}).single('file')`); `tooLarge` the message key for a
 *  file over its size limit. */
export function receiveUpload(parse: RequestHandler, tooLarge: string): RequestHandler {
  return (req, res, next) => {
    parse(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        res.locals.uploadError = err.code === 'LIMIT_FILE_SIZE' ? tooLarge : 'errors.invalid';
        return next();
      }
      next(err);
    });
  };
}
