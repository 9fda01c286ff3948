/** A JQL syntax or validation error; rendered as `Error in the JQL Query: …` where syntactic. */
export class JqlError extends Error {
  constructor(
    message: string,
    /** Whether the message gets the "Error in the JQL Query: " prefix (syntax errors do). */
    readonly syntax = true,
  ) {
    super(message);
  }

  get jiraMessage(): string {
    return this.syntax ? `Error in the JQL Query: ${this.message}` : this.message;
  }
}

export type JqlOperator =
  '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

export interface JqlValue {
  kind: 'string' | 'word' | 'empty' | 'function';
  /** The literal (unquoted) or the function name. */
  text: string;
}

export interface JqlClause {
  kind: 'clause';
  /** Field name as written, lower-cased. */
  field: string;
  operator: JqlOperator;
  values: JqlValue[];
}

export type JqlExpr =
  | JqlClause
  | { kind: 'and'; items: JqlExpr[] }
  | { kind: 'or'; items: JqlExpr[] }
  | { kind: 'not'; item: JqlExpr };

export interface JqlSort {
  field: string;
  direction: 'ASC' | 'DESC';
}

export interface JqlQuery {
  where: JqlExpr | null;
  orderBy: JqlSort[];
}

interface Token {
  type: 'word' | 'string' | 'op' | 'punct' | 'end';
  text: string;
  pos: number;
}

const OPERATORS = ['!=', '>=', '<=', '!~', '=', '>', '<', '~'];
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'order', 'by', 'empty', 'null']);

/**
 * Parses the JQL subset Caseboard and the simulators need: clauses combined with AND / OR / NOT
 * and parentheses, operators = != > >= < <= ~ !~ IN, NOT IN, IS [NOT] EMPTY, functions without
 * arguments (`now()`), and `ORDER BY field [ASC|DESC], …`. Field semantics are checked by the
 * caller.
 */
export function parseJql(text: string): JqlQuery {
  return new Parser(tokenize(text)).parseQuery();
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j++];
      }
      if (j >= text.length) {
        throw new JqlError(
          `The quoted string '${value}' has not been completed. (line 1, character ${i + 1})`,
        );
      }
      tokens.push({ type: 'string', text: value, pos: i });
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'op', text: op, pos: i });
      i += op.length;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s(),"'=!<>~]/.test(text[j])) j++;
    if (j === i) {
      throw new JqlError(`The character '${c}' is reserved (line 1, character ${i + 1})`);
    }
    tokens.push({ type: 'word', text: text.slice(i, j), pos: i });
    i = j;
  }
  tokens.push({ type: 'end', text: '', pos: text.length });
  return tokens;
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  parseQuery(): JqlQuery {
    let where: JqlExpr | null = null;
    if (!this.atKeyword('order') && this.peek().type !== 'end') where = this.parseOr();
    const orderBy: JqlSort[] = [];
    if (this.atKeyword('order')) {
      this.next();
      this.expectKeyword('by');
      do {
        const field = this.next();
        if (field.type !== 'word' && field.type !== 'string') this.fail('a field name', field);
        let direction: 'ASC' | 'DESC' = 'ASC';
        if (this.atKeyword('asc') || this.atKeyword('desc')) {
          direction = this.next().text.toUpperCase() as 'ASC' | 'DESC';
        }
        orderBy.push({ field: field.text.toLowerCase(), direction });
      } while (this.eatPunct(','));
    }
    const end = this.peek();
    if (end.type !== 'end') this.fail("'AND', 'OR' or 'ORDER BY'", end);
    return { where, orderBy };
  }

  private parseOr(): JqlExpr {
    const items = [this.parseAnd()];
    while (this.atKeyword('or')) {
      this.next();
      items.push(this.parseAnd());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private parseAnd(): JqlExpr {
    const items = [this.parseUnary()];
    while (this.atKeyword('and')) {
      this.next();
      items.push(this.parseUnary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private parseUnary(): JqlExpr {
    if (this.atKeyword('not')) {
      this.next();
      return { kind: 'not', item: this.parseUnary() };
    }
    if (this.eatPunct('(')) {
      const inner = this.parseOr();
      if (!this.eatPunct(')')) this.fail("')'", this.peek());
      return inner;
    }
    return this.parseClause();
  }

  private parseClause(): JqlClause {
    const fieldToken = this.next();
    if (
      (fieldToken.type !== 'word' && fieldToken.type !== 'string') ||
      (fieldToken.type === 'word' && RESERVED.has(fieldToken.text.toLowerCase()))
    ) {
      this.fail('a field name', fieldToken);
    }
    const field = fieldToken.text.toLowerCase();
    const opToken = this.next();
    let operator: JqlOperator;
    if (opToken.type === 'op') operator = opToken.text as JqlOperator;
    else if (opToken.type === 'word' && opToken.text.toLowerCase() === 'in') operator = 'in';
    else if (opToken.type === 'word' && opToken.text.toLowerCase() === 'is') {
      operator = this.atKeyword('not') ? (this.next(), 'is not') : 'is';
    } else if (
      opToken.type === 'word' &&
      opToken.text.toLowerCase() === 'not' &&
      this.atKeyword('in')
    ) {
      this.next();
      operator = 'not in';
    } else {
      throw new JqlError(
        `Expecting operator but got '${opToken.text}'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character ${opToken.pos + 1})`,
      );
    }
    if (operator === 'is' || operator === 'is not') {
      if (!this.atKeyword('empty') && !this.atKeyword('null')) this.fail("'EMPTY'", this.peek());
      this.next();
      return { kind: 'clause', field, operator, values: [{ kind: 'empty', text: 'EMPTY' }] };
    }
    if (operator === 'in' || operator === 'not in') {
      if (!this.eatPunct('(')) this.fail("'('", this.peek());
      const values: JqlValue[] = [];
      do {
        values.push(this.parseValue());
      } while (this.eatPunct(','));
      if (!this.eatPunct(')')) this.fail("')'", this.peek());
      return { kind: 'clause', field, operator, values };
    }
    return { kind: 'clause', field, operator, values: [this.parseValue()] };
  }

  private parseValue(): JqlValue {
    const token = this.next();
    if (token.type === 'string') return { kind: 'string', text: token.text };
    if (token.type === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'empty' || lower === 'null') return { kind: 'empty', text: 'EMPTY' };
      if (RESERVED.has(lower)) this.fail('a value', token);
      if (this.eatPunct('(')) {
        if (!this.eatPunct(')')) this.fail("')'", this.peek());
        return { kind: 'function', text: token.text };
      }
      return { kind: 'word', text: token.text };
    }
    return this.fail('a value', token);
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    const token = this.tokens[this.i];
    if (token.type !== 'end') this.i++;
    return token;
  }

  private atKeyword(word: string): boolean {
    const token = this.peek();
    return token.type === 'word' && token.text.toLowerCase() === word;
  }

  private expectKeyword(word: string): void {
    if (!this.atKeyword(word)) this.fail(`'${word.toUpperCase()}'`, this.peek());
    this.next();
  }

  private eatPunct(text: string): boolean {
    const token = this.peek();
    if (token.type === 'punct' && token.text === text) {
      this.i++;
      return true;
    }
    return false;
  }

  private fail(expected: string, token: Token): never {
    const got = token.type === 'end' ? 'the end of the query' : `'${token.text}'`;
    throw new JqlError(
      `Expecting ${expected} but got ${got}. (line 1, character ${token.pos + 1})`,
    );
  }
}

/** Top-level AND-ed clauses (the whole query when it is a single clause or a pure AND). */
export function conjuncts(where: JqlExpr | null): JqlExpr[] {
  if (where === null) return [];
  return where.kind === 'and' ? where.items : [where];
}
