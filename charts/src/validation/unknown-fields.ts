import { join } from 'node:path';
import ts from 'typescript';
import type { Manifest } from '../manifests';

/**
 * Fields the Kubernetes API does not know (a misspelt `readinesProbe`, a field in the wrong place):
 * kubernetes-models' validators let them through, the API server drops them or, with strict field
 * validation, refuses them. Each object is walked along the TypeScript interfaces of its kind
 * (`kubernetes-types.ts`), compiled once.
 */
export class UnknownFieldCheck {
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, ts.Type>();

  constructor() {
    const entry = join(__dirname, 'kubernetes-types.ts');
    const program = ts.createProgram([entry], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
    });
    this.checker = program.getTypeChecker();
    const source = program.getSourceFile(entry);
    const module = source && this.checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${entry} did not compile`);
    for (const symbol of this.checker.getExportsOfModule(module)) {
      const declared = this.checker.getDeclaredTypeOfSymbol(this.checker.getAliasedSymbol(symbol));
      this.types.set(symbol.name.replace(/^I/, ''), declared);
    }
  }

  /** `Kind/name: path: unknown field` for each field the kind's type does not have. */
  problems(object: Manifest): string[] {
    const type = this.types.get(object.kind);
    if (!type) return [`${object.kind}/${object.metadata.name}: no typings for ${object.kind}`];
    return this.walk(object, type, '').map(
      (path) => `${object.kind}/${object.metadata.name}: ${path}: unknown field`,
    );
  }

  private walk(value: unknown, declared: ts.Type, path: string): string[] {
    if (value === null || typeof value !== 'object') return [];
    const type = this.objectPart(this.checker.getNonNullableType(declared));
    if (!type) return [];
    if (Array.isArray(value)) {
      const item = this.checker.getIndexTypeOfType(type, ts.IndexKind.Number);
      return item ? value.flatMap((each, index) => this.walk(each, item, `${path}[${index}]`)) : [];
    }
    const map = this.checker.getIndexTypeOfType(type, ts.IndexKind.String);
    return Object.entries(value).flatMap(([key, field]) => {
      const at = `${path}/${key}`;
      if (map) return this.walk(field, map, at);
      const property = this.checker.getPropertyOfType(type, key);
      return property ? this.walk(field, this.checker.getTypeOfSymbol(property), at) : [at];
    });
  }

  /** The object member of a union (e.g. a field typed `string | {…}`); undefined for primitives. */
  private objectPart(type: ts.Type): ts.Type | undefined {
    if (!type.isUnion()) return type.flags & ts.TypeFlags.Object ? type : undefined;
    const objects = type.types.filter((member) => member.flags & ts.TypeFlags.Object);
    return objects.length === 1 ? objects[0] : undefined;
  }
}
