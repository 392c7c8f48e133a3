import { BadRequestException } from '@nestjs/common';

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * Mercurius `preParsing` hook: the query must be GraphQL text. Mercurius falls back to JSON.parse
 * for text that does not parse as GraphQL (to take a pre-parsed AST), so `42`, `"{}"` or a crafted
 * AST reached graphql-js validation as a "document" and broke it (a TypeError, HTTP 500), and a
 * crafted AST would skip the parser's limits. No GraphQL document is valid JSON.
 */
export async function refuseJsonDocuments(_schema: unknown, source: string): Promise<void> {
  if (isJson(source))
    throw new BadRequestException('query must be a GraphQL document such as "{ me { id } }", not JSON');
}
