import { BadRequestException } from '@nestjs/common';
import { refuseJsonDocuments } from './graphql-documents';

describe('refuseJsonDocuments', () => {
  it.each(['42', '{}', '[]', 'null', '"{ me { id } }"', '{"kind":"Document","definitions":[]}'])(
    'refuses %s: JSON, not a GraphQL document',
    async (source) => {
      await expect(refuseJsonDocuments(undefined, source)).rejects.toThrow(BadRequestException);
    },
  );

  it.each(['{ me { id } }', 'query A { me { id } }', '# comment\n{ me { id } }', '{ tasks('])(
    'lets GraphQL text through to the parser: %s',
    async (source) => {
      await expect(refuseJsonDocuments(undefined, source)).resolves.toBeUndefined();
    },
  );
});
