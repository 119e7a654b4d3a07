// A small regular expression engine for User-Agent and key matching, written for
// this SDK. Syntax is a subset of RE2 (Go's regexp), the dialect Higress plugins
// are configured in:
//
//   literals and escapes \. \\ \/ \$ \( ... \n \r \t \f \v \xHH \x{HHHH} \Q...\E
//   .  [abc] [^a-z] [\d\w\s] [[:alpha:]]  \d \D \w \W \s \S
//   ^ $ \A \z \b \B   * + ? {n} {n,} {n,m} (and lazy *? +? ?? {n,m}?)
//   a|b  (...)  (?:...)  (?P<name>...) (?<name>...)  (?i) (?s) (?m) (?i:...) (?-i)
//
// Case-insensitive matching folds ASCII letters. No backreferences or lookaround
// (RE2 has none either).
//
// The pattern is parsed, then compiled to a small program (an NFA) that is run as
// a deterministic automaton built lazily, state by state, instead of by
// backtracking: each character costs one table lookup once its state exists, and
// building a state costs at most the program size, so a hostile input (a 60 KB
// User-Agent, nested repetitions) can never make matching exponential. Only "does
// it match anywhere" is answered (MatchString).

const OP_CHAR: u8 = 0;
const OP_ANY: u8 = 1;
const OP_ANY_NOT_NL: u8 = 2;
const OP_CLASS: u8 = 3;
const OP_SPLIT: u8 = 4;
const OP_JMP: u8 = 5;
const OP_ASSERT: u8 = 6;
const OP_MATCH: u8 = 7;
const OP_CHAR_FOLD: u8 = 8;

const ASSERT_BEGIN_LINE: i32 = 0;
const ASSERT_END_LINE: i32 = 1;
const ASSERT_BEGIN_TEXT: i32 = 2;
const ASSERT_END_TEXT: i32 = 3;
const ASSERT_WORD_BOUNDARY: i32 = 4;
const ASSERT_NOT_WORD_BOUNDARY: i32 = 5;

/** Largest program a pattern may compile to (counted repetitions expand). */
const MAX_PROGRAM: i32 = 60000;
/** Largest counted repetition, as in RE2. */
const MAX_REPEAT: i32 = 1000;
/** Deepest group nesting. */
const MAX_NESTING: i32 = 100;

const N_LITERAL: i32 = 0;
const N_ANY: i32 = 1;
const N_CLASS: i32 = 2;
const N_ASSERT: i32 = 3;
const N_CONCAT: i32 = 4;
const N_ALTERNATE: i32 = 5;
const N_REPEAT: i32 = 6;
const N_EMPTY: i32 = 7;

function lowerAscii(c: i32): i32 {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

function upperAscii(c: i32): i32 {
  return c >= 0x61 && c <= 0x7a ? c - 32 : c;
}

function isWordChar(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f;
}

/** A set of character ranges (UTF-16 code units), possibly negated and case-folded. */
class CharClass {
  ranges: i32[] = [];
  negated: bool = false;
  fold: bool = false;

  add(low: i32, high: i32): void {
    this.ranges.push(low);
    this.ranges.push(high);
  }

  /** Adds the complement of `other`'s ranges (for \D \W \S inside a class). */
  addComplementOf(other: CharClass): void {
    // other's ranges sorted by their low bound (insertion sort: a handful of ranges)
    const lows = new Array<i32>();
    const highs = new Array<i32>();
    for (let i = 0; i < other.ranges.length; i += 2) {
      lows.push(other.ranges[i]);
      highs.push(other.ranges[i + 1]);
      let at = lows.length - 1;
      while (at > 0 && lows[at - 1] > lows[at]) {
        const low = lows[at];
        const high = highs[at];
        lows[at] = lows[at - 1];
        highs[at] = highs[at - 1];
        lows[at - 1] = low;
        highs[at - 1] = high;
        at--;
      }
    }
    let next = 0;
    for (let i = 0; i < lows.length; i++) {
      if (lows[i] > next) this.add(next, lows[i] - 1);
      if (highs[i] + 1 > next) next = highs[i] + 1;
    }
    if (next <= 0xffff) this.add(next, 0xffff);
  }

  private contains(c: i32): bool {
    const ranges = this.ranges;
    for (let i = 0; i < ranges.length; i += 2) {
      if (c >= unchecked(ranges[i]) && c <= unchecked(ranges[i + 1])) return true;
    }
    return false;
  }

  matches(c: i32): bool {
    let found = this.contains(c);
    if (!found && this.fold) {
      const lower = lowerAscii(c);
      const upper = upperAscii(c);
      found = (lower != c && this.contains(lower)) || (upper != c && this.contains(upper));
    }
    return found != this.negated;
  }
}

function digitClass(): CharClass {
  const cls = new CharClass();
  cls.add(0x30, 0x39);
  return cls;
}

function wordClass(): CharClass {
  const cls = new CharClass();
  cls.add(0x30, 0x39);
  cls.add(0x41, 0x5a);
  cls.add(0x5f, 0x5f);
  cls.add(0x61, 0x7a);
  return cls;
}

function spaceClass(): CharClass {
  const cls = new CharClass();
  cls.add(0x09, 0x0a);
  cls.add(0x0c, 0x0d);
  cls.add(0x20, 0x20);
  return cls;
}

class Node {
  kind: i32;
  ch: i32 = 0;
  fold: bool = false;
  flag: bool = false;
  cls: CharClass | null = null;
  children: Node[] = [];
  min: i32 = 0;
  max: i32 = 0;

  constructor(kind: i32) {
    this.kind = kind;
  }
}

class Parser {
  pos: i32 = 0;
  error: string = "";
  fold: bool = false;
  dotAll: bool = false;
  multiLine: bool = false;
  depth: i32 = 0;

  constructor(public readonly pattern: string) {}

  fail(message: string): Node | null {
    if (this.error.length == 0) this.error = message + " at offset " + this.pos.toString();
    return null;
  }

  more(): bool {
    return this.pos < this.pattern.length;
  }

  peek(): i32 {
    return this.pos < this.pattern.length ? this.pattern.charCodeAt(this.pos) : -1;
  }

  peekAt(offset: i32): i32 {
    const at = this.pos + offset;
    return at < this.pattern.length ? this.pattern.charCodeAt(at) : -1;
  }

  parseAlternation(): Node | null {
    const first = this.parseConcat();
    if (first === null) return null;
    if (this.peek() != 0x7c) return first;
    const node = new Node(N_ALTERNATE);
    node.children.push(first);
    while (this.peek() == 0x7c) {
      this.pos++;
      const next = this.parseConcat();
      if (next === null) return null;
      node.children.push(next);
    }
    return node;
  }

  parseConcat(): Node | null {
    const node = new Node(N_CONCAT);
    while (this.more()) {
      const c = this.peek();
      if (c == 0x7c || c == 0x29) break;
      // inline flags (?i) change the rest of this group
      if (c == 0x28 && this.peekAt(1) == 0x3f && this.isFlagGroup()) {
        if (!this.parseFlags(false)) return null;
        continue;
      }
      const item = this.parseRepeat();
      if (item === null) return null;
      node.children.push(item);
    }
    if (node.children.length == 0) return new Node(N_EMPTY);
    if (node.children.length == 1) return node.children[0];
    return node;
  }

  /** At "(?": whether flags follow and close with ")" (not "(?:", not a named group). */
  isFlagGroup(): bool {
    let i = this.pos + 2;
    let any = false;
    while (i < this.pattern.length) {
      const c = this.pattern.charCodeAt(i);
      if (c == 0x29) return any;
      if (c == 0x3a) return false;
      if (c != 0x69 && c != 0x73 && c != 0x6d && c != 0x55 && c != 0x2d) return false;
      any = true;
      i++;
    }
    return false;
  }

  /** Reads flags after "(?" up to ")" (or ":" when `scoped`); sets them on the parser. */
  parseFlags(scoped: bool): bool {
    this.pos += 2;
    let negate = false;
    while (this.more()) {
      const c = this.peek();
      this.pos++;
      if (c == 0x29 || (scoped && c == 0x3a)) return true;
      if (c == 0x2d) {
        negate = true;
      } else if (c == 0x69) {
        this.fold = !negate;
      } else if (c == 0x73) {
        this.dotAll = !negate;
      } else if (c == 0x6d) {
        this.multiLine = !negate;
      } else if (c == 0x55) {
        // ungreedy: meaningless for a yes/no match
      } else {
        this.fail("unknown flag '" + String.fromCharCode(c) + "'");
        return false;
      }
    }
    this.fail("missing ')' after flags");
    return false;
  }

  parseRepeat(): Node | null {
    const atom = this.parseAtom();
    if (atom === null) return null;
    let node: Node = atom;
    let repeated = false;
    while (this.more()) {
      const c = this.peek();
      let min = -1;
      let max = -1;
      if (c == 0x2a) {
        min = 0;
        max = -1;
        this.pos++;
      } else if (c == 0x2b) {
        min = 1;
        max = -1;
        this.pos++;
      } else if (c == 0x3f) {
        min = 0;
        max = 1;
        this.pos++;
      } else if (c == 0x7b) {
        const save = this.pos;
        if (!this.parseCount()) {
          if (this.error.length > 0) return null;
          this.pos = save;
          break; // a literal '{'
        }
        min = this.countMin;
        max = this.countMax;
      } else {
        break;
      }
      if (repeated) return this.fail("invalid nested repetition operator");
      repeated = true;
      if (this.peek() == 0x3f) this.pos++; // lazy: same answer for a yes/no match
      if (atom.kind == N_ASSERT || atom.kind == N_EMPTY) {
        // x* of an empty-width item is that item or nothing
      }
      const rep = new Node(N_REPEAT);
      rep.children.push(node);
      rep.min = min;
      rep.max = max;
      node = rep;
    }
    return node;
  }

  countMin: i32 = 0;
  countMax: i32 = 0;

  /** At "{": reads {n}, {n,} or {n,m}; false (no error) when it is not a count. */
  parseCount(): bool {
    let i = this.pos + 1;
    const n = this.readNumber(i);
    if (n < 0) return false;
    i = this.numberEnd;
    let m = n;
    if (i < this.pattern.length && this.pattern.charCodeAt(i) == 0x2c) {
      i++;
      if (i < this.pattern.length && this.pattern.charCodeAt(i) == 0x7d) {
        m = -1;
      } else {
        m = this.readNumber(i);
        if (m < 0) return false;
        i = this.numberEnd;
      }
    }
    if (i >= this.pattern.length || this.pattern.charCodeAt(i) != 0x7d) return false;
    if (n > MAX_REPEAT || m > MAX_REPEAT || (m >= 0 && m < n)) {
      this.fail("invalid repeat count");
      return false;
    }
    this.pos = i + 1;
    this.countMin = n;
    this.countMax = m;
    return true;
  }

  numberEnd: i32 = 0;

  readNumber(at: i32): i32 {
    let i = at;
    let value = 0;
    while (i < this.pattern.length) {
      const c = this.pattern.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + (c - 0x30);
      if (value > 100000) value = 100000;
      i++;
    }
    this.numberEnd = i;
    return i == at ? -1 : value;
  }

  literal(c: i32): Node {
    const node = new Node(N_LITERAL);
    node.ch = this.fold ? lowerAscii(c) : c;
    node.fold = this.fold && lowerAscii(c) != upperAscii(c);
    return node;
  }

  classNode(cls: CharClass): Node {
    const node = new Node(N_CLASS);
    cls.fold = this.fold;
    node.cls = cls;
    return node;
  }

  assertion(kind: i32): Node {
    const node = new Node(N_ASSERT);
    node.ch = kind;
    return node;
  }

  parseAtom(): Node | null {
    const c = this.peek();
    if (c == 0x28) return this.parseGroup();
    if (c == 0x5b) return this.parseClass();
    if (c == 0x2e) {
      this.pos++;
      const node = new Node(N_ANY);
      node.flag = this.dotAll;
      return node;
    }
    if (c == 0x5e) {
      this.pos++;
      return this.assertion(this.multiLine ? ASSERT_BEGIN_LINE : ASSERT_BEGIN_TEXT);
    }
    if (c == 0x24) {
      this.pos++;
      return this.assertion(this.multiLine ? ASSERT_END_LINE : ASSERT_END_TEXT);
    }
    if (c == 0x2a || c == 0x2b || c == 0x3f) return this.fail("missing argument to repetition operator");
    if (c == 0x7b) {
      const save = this.pos;
      if (this.parseCount()) {
        this.pos = save;
        return this.fail("missing argument to repetition operator");
      }
      if (this.error.length > 0) return null;
      this.pos = save + 1;
      return this.literal(c);
    }
    if (c == 0x5c) return this.parseEscape();
    this.pos++;
    return this.literal(c);
  }

  parseGroup(): Node | null {
    if (this.depth >= MAX_NESTING) return this.fail("groups nested too deeply");
    const saveFold = this.fold;
    const saveDotAll = this.dotAll;
    const saveMultiLine = this.multiLine;
    if (this.peekAt(1) == 0x3f) {
      const kind = this.peekAt(2);
      if (kind == 0x3a) {
        this.pos += 3; // (?:
      } else if (kind == 0x50 || kind == 0x3c) {
        // (?P<name>...) or (?<name>...): a capture group; names are not used
        this.pos += kind == 0x50 ? 3 : 2;
        if (this.peek() != 0x3c) return this.fail("invalid named group");
        const close = this.pattern.indexOf(">", this.pos);
        if (close < 0) return this.fail("invalid named group");
        this.pos = close + 1;
      } else {
        // (?flags:...)
        const save = this.pos;
        if (!this.parseFlags(true)) return null;
        if (this.pattern.charCodeAt(this.pos - 1) != 0x3a) {
          this.pos = save;
          return this.fail("invalid group");
        }
      }
    } else {
      this.pos++;
    }
    this.depth++;
    const inner = this.parseAlternation();
    this.depth--;
    if (inner === null) return null;
    if (this.peek() != 0x29) return this.fail("missing ')'");
    this.pos++;
    this.fold = saveFold;
    this.dotAll = saveDotAll;
    this.multiLine = saveMultiLine;
    return inner;
  }

  parseEscape(): Node | null {
    this.pos++; // backslash
    if (!this.more()) return this.fail("trailing backslash");
    const c = this.peek();
    this.pos++;
    if (c == 0x64) return this.classNode(digitClass());
    if (c == 0x77) return this.classNode(wordClass());
    if (c == 0x73) return this.classNode(spaceClass());
    if (c == 0x44 || c == 0x57 || c == 0x53) {
      const cls = c == 0x44 ? digitClass() : c == 0x57 ? wordClass() : spaceClass();
      cls.negated = true;
      return this.classNode(cls);
    }
    if (c == 0x62) return this.assertion(ASSERT_WORD_BOUNDARY);
    if (c == 0x42) return this.assertion(ASSERT_NOT_WORD_BOUNDARY);
    if (c == 0x41) return this.assertion(ASSERT_BEGIN_TEXT);
    if (c == 0x7a) return this.assertion(ASSERT_END_TEXT);
    if (c == 0x51) {
      // \Q...\E: literal text
      const node = new Node(N_CONCAT);
      let end = this.pattern.indexOf("\\E", this.pos);
      if (end < 0) end = this.pattern.length;
      for (let i = this.pos; i < end; i++) node.children.push(this.literal(this.pattern.charCodeAt(i)));
      this.pos = end < this.pattern.length ? end + 2 : end;
      if (node.children.length == 0) return new Node(N_EMPTY);
      return node;
    }
    const single = this.escapedChar(c);
    if (single < 0) return null;
    return this.literal(single);
  }

  /** The character of a one-character escape (after the backslash was read), or -1 with an error. */
  escapedChar(c: i32): i32 {
    if (c == 0x6e) return 0x0a;
    if (c == 0x72) return 0x0d;
    if (c == 0x74) return 0x09;
    if (c == 0x66) return 0x0c;
    if (c == 0x76) return 0x0b;
    if (c == 0x61) return 0x07;
    if (c == 0x78) return this.hexEscape();
    // punctuation escapes itself
    if (c < 0x80 && !isWordChar(c)) return c;
    this.fail("invalid escape \\" + String.fromCharCode(c));
    return -1;
  }

  hexEscape(): i32 {
    let value = 0;
    if (this.peek() == 0x7b) {
      this.pos++;
      let digits = 0;
      while (this.more() && this.peek() != 0x7d) {
        const d = hexDigitValue(this.peek());
        if (d < 0 || digits >= 6) {
          this.fail("invalid \\x escape");
          return -1;
        }
        value = value * 16 + d;
        digits++;
        this.pos++;
      }
      if (!this.more() || digits == 0) {
        this.fail("invalid \\x escape");
        return -1;
      }
      this.pos++;
    } else {
      for (let i = 0; i < 2; i++) {
        const d = hexDigitValue(this.peek());
        if (d < 0) {
          this.fail("invalid \\x escape");
          return -1;
        }
        value = value * 16 + d;
        this.pos++;
      }
    }
    if (value > 0xffff) {
      this.fail("\\x escape beyond U+FFFF is not supported");
      return -1;
    }
    return value;
  }

  parseClass(): Node | null {
    this.pos++; // [
    const cls = new CharClass();
    if (this.peek() == 0x5e) {
      cls.negated = true;
      this.pos++;
    }
    let first = true;
    while (true) {
      if (!this.more()) return this.fail("missing ']'");
      const c = this.peek();
      if (c == 0x5d && !first) {
        this.pos++;
        break;
      }
      first = false;
      // [:alpha:]
      if (c == 0x5b && this.peekAt(1) == 0x3a) {
        const close = this.pattern.indexOf(":]", this.pos + 2);
        if (close > 0) {
          const name = this.pattern.substring(this.pos + 2, close);
          if (!addPosixClass(cls, name)) return this.fail("unknown class [:" + name + ":]");
          this.pos = close + 2;
          continue;
        }
      }
      let low = -1;
      if (c == 0x5c) {
        this.pos++;
        if (!this.more()) return this.fail("trailing backslash");
        const e = this.peek();
        this.pos++;
        if (e == 0x64 || e == 0x77 || e == 0x73) {
          const inner = e == 0x64 ? digitClass() : e == 0x77 ? wordClass() : spaceClass();
          for (let i = 0; i < inner.ranges.length; i++) cls.ranges.push(inner.ranges[i]);
          continue;
        }
        if (e == 0x44 || e == 0x57 || e == 0x53) {
          cls.addComplementOf(e == 0x44 ? digitClass() : e == 0x57 ? wordClass() : spaceClass());
          continue;
        }
        if (e == 0x62) {
          low = 0x08; // \b in a class is backspace
        } else {
          low = this.escapedChar(e);
          if (low < 0) return null;
        }
      } else {
        low = c;
        this.pos++;
      }
      let high = low;
      if (this.peek() == 0x2d && this.peekAt(1) != 0x5d && this.peekAt(1) >= 0) {
        this.pos++;
        let h = this.peek();
        this.pos++;
        if (h == 0x5c) {
          if (!this.more()) return this.fail("trailing backslash");
          const e = this.peek();
          this.pos++;
          h = this.escapedChar(e);
          if (h < 0) return null;
        }
        high = h;
        if (high < low) return this.fail("invalid character class range");
      }
      cls.add(low, high);
    }
    return this.classNode(cls);
  }
}

function hexDigitValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

function addPosixClass(cls: CharClass, name: string): bool {
  if (name == "alpha") {
    cls.add(0x41, 0x5a);
    cls.add(0x61, 0x7a);
  } else if (name == "digit") {
    cls.add(0x30, 0x39);
  } else if (name == "alnum") {
    cls.add(0x30, 0x39);
    cls.add(0x41, 0x5a);
    cls.add(0x61, 0x7a);
  } else if (name == "upper") {
    cls.add(0x41, 0x5a);
  } else if (name == "lower") {
    cls.add(0x61, 0x7a);
  } else if (name == "space") {
    cls.add(0x09, 0x0d);
    cls.add(0x20, 0x20);
  } else if (name == "xdigit") {
    cls.add(0x30, 0x39);
    cls.add(0x41, 0x46);
    cls.add(0x61, 0x66);
  } else if (name == "word") {
    cls.add(0x30, 0x39);
    cls.add(0x41, 0x5a);
    cls.add(0x5f, 0x5f);
    cls.add(0x61, 0x7a);
  } else if (name == "punct") {
    cls.add(0x21, 0x2f);
    cls.add(0x3a, 0x40);
    cls.add(0x5b, 0x60);
    cls.add(0x7b, 0x7e);
  } else {
    return false;
  }
  return true;
}

class Compiler {
  ops: u8[] = [];
  xs: i32[] = [];
  ys: i32[] = [];
  classes: CharClass[] = [];
  tooLarge: bool = false;

  emit(op: u8, x: i32, y: i32): i32 {
    const at = this.ops.length;
    if (at >= MAX_PROGRAM) {
      this.tooLarge = true;
      return at;
    }
    this.ops.push(op);
    this.xs.push(x);
    this.ys.push(y);
    return at;
  }

  patchX(at: i32, target: i32): void {
    if (at < this.xs.length) this.xs[at] = target;
  }

  patchY(at: i32, target: i32): void {
    if (at < this.ys.length) this.ys[at] = target;
  }

  compile(node: Node): void {
    if (this.tooLarge) return;
    switch (node.kind) {
      case N_LITERAL:
        this.emit(node.fold ? OP_CHAR_FOLD : OP_CHAR, node.ch, 0);
        break;
      case N_ANY:
        this.emit(node.flag ? OP_ANY : OP_ANY_NOT_NL, 0, 0);
        break;
      case N_CLASS:
        this.classes.push(node.cls!);
        this.emit(OP_CLASS, this.classes.length - 1, 0);
        break;
      case N_ASSERT:
        this.emit(OP_ASSERT, node.ch, 0);
        break;
      case N_CONCAT:
        for (let i = 0; i < node.children.length; i++) this.compile(node.children[i]);
        break;
      case N_ALTERNATE: {
        const jumps = new Array<i32>();
        const last = node.children.length - 1;
        for (let i = 0; i < last; i++) {
          const split = this.emit(OP_SPLIT, 0, 0);
          this.patchX(split, split + 1);
          this.compile(node.children[i]);
          jumps.push(this.emit(OP_JMP, 0, 0));
          this.patchY(split, this.ops.length);
        }
        this.compile(node.children[last]);
        for (let i = 0; i < jumps.length; i++) this.patchX(jumps[i], this.ops.length);
        break;
      }
      case N_REPEAT: {
        const body = node.children[0];
        for (let i = 0; i < node.min; i++) this.compile(body);
        if (node.max < 0) {
          // L: split body, out; body; jmp L; out:
          const split = this.emit(OP_SPLIT, 0, 0);
          this.patchX(split, split + 1);
          this.compile(body);
          this.emit(OP_JMP, split, 0);
          this.patchY(split, this.ops.length);
        } else {
          const skips = new Array<i32>();
          for (let i = node.min; i < node.max; i++) {
            const split = this.emit(OP_SPLIT, 0, 0);
            this.patchX(split, split + 1);
            skips.push(split);
            this.compile(body);
          }
          for (let i = 0; i < skips.length; i++) this.patchY(skips[i], this.ops.length);
        }
        break;
      }
      default:
        break; // N_EMPTY
    }
  }
}

/** The outcome of compiling a pattern: a Regex, or an error message. */
export class RegexResult {
  constructor(public readonly regex: Regex | null, public readonly error: string) {}

  get ok(): bool {
    return this.regex !== null;
  }
}

/** One state of the lazily built automaton: the instructions waiting for the next character. */
class DfaState {
  /** Transition per character class: -2 not computed yet, -1 match, else the next state. */
  next: Int32Array;
  /** Whether the text may end here with a match: -1 not computed yet, 0 no, 1 yes. */
  endMatch: i32 = -1;

  constructor(public seeds: Int32Array, public prevWord: bool, public prevNewline: bool, public atStart: bool,
    classes: i32) {
    this.next = new Int32Array(classes);
    this.next.fill(-2);
  }
}

/**
 * Budget of the automaton cache per pattern, in 4-byte units (transition cells, plus
 * the state's instruction list and key); past it the cache starts over, so memory
 * stays bounded whatever the input.
 */
const MAX_DFA_CELLS: i32 = 262144;

export class Regex {
  private stamps: Int32Array;
  private generation: i32 = 0;
  private list: Int32Array;
  private listCount: i32 = 0;
  private stack: Int32Array;
  /** Sorted starts of the character classes (intervals of code units that every test treats alike). */
  private bounds: Int32Array;
  private asciiClass: Int32Array;
  private states: DfaState[] = [];
  private stateIds: Map<string, i32> = new Map<string, i32>();
  private cells: i32 = 0;

  constructor(public readonly pattern: string, private readonly ops: StaticArray<u8>,
    private readonly xs: StaticArray<i32>, private readonly ys: StaticArray<i32>,
    private readonly classes: CharClass[]) {
    const size = ops.length;
    this.stamps = new Int32Array(size);
    this.list = new Int32Array(size);
    // a closure pushes the start, every seed, and at most two targets per instruction
    this.stack = new Int32Array(size * 3 + 4);
    this.bounds = computeBounds(ops, xs, classes);
    this.asciiClass = new Int32Array(128);
    for (let c = 0; c < 128; c++) this.asciiClass[c] = this.findClass(c);
  }

  /** Compiles `pattern`; the result names the problem when it is not a valid pattern. */
  static compile(pattern: string): RegexResult {
    const parser = new Parser(pattern);
    const node = parser.parseAlternation();
    if (node === null || parser.error.length > 0) {
      return new RegexResult(null, parser.error.length > 0 ? parser.error : "invalid pattern");
    }
    if (parser.more()) {
      parser.fail("unexpected ')'");
      return new RegexResult(null, parser.error);
    }
    const compiler = new Compiler();
    compiler.compile(node);
    compiler.emit(OP_MATCH, 0, 0);
    if (compiler.tooLarge) return new RegexResult(null, "pattern too large (repetitions expand beyond "
      + MAX_PROGRAM.toString() + " instructions)");
    const n = compiler.ops.length;
    const ops = new StaticArray<u8>(n);
    const xs = new StaticArray<i32>(n);
    const ys = new StaticArray<i32>(n);
    for (let i = 0; i < n; i++) {
      ops[i] = compiler.ops[i];
      xs[i] = compiler.xs[i];
      ys[i] = compiler.ys[i];
    }
    return new RegexResult(new Regex(pattern, ops, xs, ys, compiler.classes), "");
  }

  /** Instructions of the compiled program (a cost measure). */
  get programSize(): i32 {
    return this.ops.length;
  }

  private findClass(c: i32): i32 {
    const bounds = this.bounds;
    let low = 0;
    let high = bounds.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (unchecked(bounds[mid]) <= c) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /**
   * Whether the pattern matches anywhere in `text` (Go's MatchString). Runs a
   * deterministic automaton built lazily from the program: each state is the set of
   * instructions waiting for the next character, each transition is computed once
   * per state and character class, so a text costs one table lookup per character
   * once the states it needs exist.
   */
  test(text: string): bool {
    const length = text.length;
    let state = this.startState();
    for (let pos = 0; pos < length; pos++) {
      const c = text.charCodeAt(pos);
      const cls = c < 128 ? unchecked(this.asciiClass[c]) : this.findClass(c);
      let next = unchecked(this.states[state].next[cls]);
      if (next == -2) {
        next = this.transition(state, cls);
        if (next == -3) {
          // the cache was flushed: the state was rebuilt with a new id
          state = this.internCurrent;
          next = this.transition(state, cls);
        }
      }
      if (next == -1) return true;
      state = next;
    }
    return this.endMatches(state);
  }

  private internCurrent: i32 = 0;

  private startState(): i32 {
    return this.intern(new Int32Array(0), false, false, true);
  }

  private intern(seeds: Int32Array, prevWord: bool, prevNewline: bool, atStart: bool): i32 {
    const parts = new Array<string>(seeds.length + 1);
    parts[0] = (prevWord ? "w" : "-") + (prevNewline ? "n" : "-") + (atStart ? "s" : "-");
    for (let i = 0; i < seeds.length; i++) parts[i + 1] = seeds[i].toString();
    const key = parts.join(",");
    if (this.stateIds.has(key)) return this.stateIds.get(key);
    const id = this.states.length;
    this.states.push(new DfaState(seeds, prevWord, prevNewline, atStart, this.bounds.length));
    this.stateIds.set(key, id);
    this.cells += this.bounds.length + seeds.length * 4 + 16;
    return id;
  }

  /** Computes the transition of `stateId` on class `cls` (-1: match; -3: cache flushed, see internCurrent). */
  private transition(stateId: i32, cls: i32): i32 {
    const state = this.states[stateId];
    if (this.cells > MAX_DFA_CELLS) {
      // start over with an empty cache, keeping the current state
      this.states = [];
      this.stateIds = new Map<string, i32>();
      this.cells = 0;
      this.internCurrent = this.intern(state.seeds, state.prevWord, state.prevNewline, state.atStart);
      return -3;
    }
    const c = unchecked(this.bounds[cls]);
    if (this.closure(state, c)) {
      state.next[cls] = -1;
      return -1;
    }
    // the instructions that accept c lead to the next state's seeds
    const seeds = new Array<i32>();
    const ops = this.ops;
    const xs = this.xs;
    for (let i = 0; i < this.listCount; i++) {
      const pc = unchecked(this.list[i]);
      const op = unchecked(ops[pc]);
      let hit = false;
      if (op == OP_CHAR) hit = c == unchecked(xs[pc]);
      else if (op == OP_CHAR_FOLD) hit = lowerAscii(c) == unchecked(xs[pc]);
      else if (op == OP_ANY) hit = true;
      else if (op == OP_ANY_NOT_NL) hit = c != 0x0a;
      else if (op == OP_CLASS) hit = this.classes[unchecked(xs[pc])].matches(c);
      if (hit) seeds.push(pc + 1);
    }
    seeds.sort((a: i32, b: i32): i32 => a - b);
    const unique = new Array<i32>();
    for (let i = 0; i < seeds.length; i++) {
      if (i == 0 || seeds[i] != seeds[i - 1]) unique.push(seeds[i]);
    }
    const packed = new Int32Array(unique.length);
    for (let i = 0; i < unique.length; i++) packed[i] = unique[i];
    const next = this.intern(packed, isWordChar(c), c == 0x0a, false);
    // intern may have grown the list: look the state up again
    this.states[stateId].next[cls] = next;
    return next;
  }

  private endMatches(stateId: i32): bool {
    const state = this.states[stateId];
    if (state.endMatch < 0) state.endMatch = this.closure(state, -1) ? 1 : 0;
    return state.endMatch == 1;
  }

  /**
   * Follows jumps, splits and assertions from the state's seeds and from a new start
   * (the search is unanchored), with `c` the character at this position (-1 at the
   * end). Collects the character-consuming instructions in `list`; true when the
   * match instruction is reached.
   */
  private closure(state: DfaState, c: i32): bool {
    const stamps = this.stamps;
    const stack = this.stack;
    const ops = this.ops;
    const xs = this.xs;
    const ys = this.ys;
    this.generation++;
    if (this.generation == i32.MAX_VALUE) {
      stamps.fill(0);
      this.generation = 1;
    }
    const mark = this.generation;
    this.listCount = 0;
    let top = 0;
    unchecked(stack[top++] = 0);
    const seeds = state.seeds;
    for (let i = seeds.length - 1; i >= 0; i--) unchecked(stack[top++] = seeds[i]);
    while (top > 0) {
      const pc = unchecked(stack[--top]);
      if (unchecked(stamps[pc]) == mark) continue;
      unchecked(stamps[pc] = mark);
      const op = unchecked(ops[pc]);
      if (op == OP_JMP) {
        unchecked(stack[top++] = xs[pc]);
      } else if (op == OP_SPLIT) {
        unchecked(stack[top++] = ys[pc]);
        unchecked(stack[top++] = xs[pc]);
      } else if (op == OP_ASSERT) {
        if (holds(unchecked(xs[pc]), state, c)) unchecked(stack[top++] = pc + 1);
      } else if (op == OP_MATCH) {
        return true;
      } else {
        unchecked(this.list[this.listCount++] = pc);
      }
    }
    return false;
  }
}

function holds(kind: i32, state: DfaState, c: i32): bool {
  if (kind == ASSERT_BEGIN_TEXT) return state.atStart;
  if (kind == ASSERT_END_TEXT) return c < 0;
  if (kind == ASSERT_BEGIN_LINE) return state.atStart || state.prevNewline;
  if (kind == ASSERT_END_LINE) return c < 0 || c == 0x0a;
  const after = c >= 0 && isWordChar(c);
  return kind == ASSERT_WORD_BOUNDARY ? state.prevWord != after : state.prevWord == after;
}

/**
 * Splits the code units 0..0xFFFF into intervals that every instruction treats alike
 * (same literal, class, word-character and newline answers); their starts, sorted.
 */
function computeBounds(ops: StaticArray<u8>, xs: StaticArray<i32>, classes: CharClass[]): Int32Array {
  const starts = new Set<i32>();
  starts.add(0);
  // word characters and newline matter to \b, ^, $ and .
  addInterval(starts, 0x0a, 0x0a);
  addInterval(starts, 0x30, 0x39);
  addInterval(starts, 0x41, 0x5a);
  addInterval(starts, 0x5f, 0x5f);
  addInterval(starts, 0x61, 0x7a);
  for (let pc = 0; pc < ops.length; pc++) {
    const op = ops[pc];
    if (op == OP_CHAR) {
      addInterval(starts, xs[pc], xs[pc]);
    } else if (op == OP_CHAR_FOLD) {
      addInterval(starts, xs[pc], xs[pc]);
      addInterval(starts, upperAscii(xs[pc]), upperAscii(xs[pc]));
    } else if (op == OP_CLASS) {
      const cls = classes[xs[pc]];
      for (let i = 0; i < cls.ranges.length; i += 2) {
        const low = cls.ranges[i];
        const high = cls.ranges[i + 1];
        addInterval(starts, low, high);
        if (cls.fold) {
          // the other case of the letters in the range
          const upperLow = max(low, 0x41);
          const upperHigh = min(high, 0x5a);
          if (upperLow <= upperHigh) addInterval(starts, upperLow + 32, upperHigh + 32);
          const lowerLow = max(low, 0x61);
          const lowerHigh = min(high, 0x7a);
          if (lowerLow <= lowerHigh) addInterval(starts, lowerLow - 32, lowerHigh - 32);
        }
      }
    }
  }
  const values = starts.values();
  values.sort((a: i32, b: i32): i32 => a - b);
  const bounds = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) bounds[i] = values[i];
  return bounds;
}

function addInterval(starts: Set<i32>, low: i32, high: i32): void {
  starts.add(low);
  if (high + 1 <= 0xffff) starts.add(high + 1);
}
