package dev.adjoint.processor.random;

import dev.adjoint.processor.random.Ast.And;
import dev.adjoint.processor.random.Ast.ArrAssign;
import dev.adjoint.processor.random.Ast.ArrayRead;
import dev.adjoint.processor.random.Ast.ArrayRef;
import dev.adjoint.processor.random.Ast.Assign;
import dev.adjoint.processor.random.Ast.Bin;
import dev.adjoint.processor.random.Ast.Break;
import dev.adjoint.processor.random.Ast.Cmp;
import dev.adjoint.processor.random.Ast.Compound;
import dev.adjoint.processor.random.Ast.Cond;
import dev.adjoint.processor.random.Ast.Const;
import dev.adjoint.processor.random.Ast.Continue;
import dev.adjoint.processor.random.Ast.DeclArr;
import dev.adjoint.processor.random.Ast.DeclArrCall;
import dev.adjoint.processor.random.Ast.DeclArrInit;
import dev.adjoint.processor.random.Ast.DeclD;
import dev.adjoint.processor.random.Ast.AssignM;
import dev.adjoint.processor.random.Ast.DeclM;
import dev.adjoint.processor.random.Ast.Expr;
import dev.adjoint.processor.random.Ast.MBin;
import dev.adjoint.processor.random.Ast.MDot;
import dev.adjoint.processor.random.Ast.MExpr;
import dev.adjoint.processor.random.Ast.MFilled;
import dev.adjoint.processor.random.Ast.MGet;
import dev.adjoint.processor.random.Ast.MMap;
import dev.adjoint.processor.random.Ast.MPlusScalar;
import dev.adjoint.processor.random.Ast.MReduce;
import dev.adjoint.processor.random.Ast.MScale;
import dev.adjoint.processor.random.Ast.MTimes;
import dev.adjoint.processor.random.Ast.MTranspose;
import dev.adjoint.processor.random.Ast.MVar;
import dev.adjoint.processor.random.Ast.Fn1;
import dev.adjoint.processor.random.Ast.Fn2;
import dev.adjoint.processor.random.Ast.For;
import dev.adjoint.processor.random.Ast.ForEach;
import dev.adjoint.processor.random.Ast.IAdd;
import dev.adjoint.processor.random.Ast.ICmp;
import dev.adjoint.processor.random.Ast.ILength;
import dev.adjoint.processor.random.Ast.ILit;
import dev.adjoint.processor.random.Ast.IMod;
import dev.adjoint.processor.random.Ast.IRev;
import dev.adjoint.processor.random.Ast.IVar;
import dev.adjoint.processor.random.Ast.If;
import dev.adjoint.processor.random.Ast.IntAsDouble;
import dev.adjoint.processor.random.Ast.IntExpr;
import dev.adjoint.processor.random.Ast.Invoke;
import dev.adjoint.processor.random.Ast.Lit;
import dev.adjoint.processor.random.Ast.Method;
import dev.adjoint.processor.random.Ast.Neg;
import dev.adjoint.processor.random.Ast.Not;
import dev.adjoint.processor.random.Ast.Opaque;
import dev.adjoint.processor.random.Ast.Or;
import dev.adjoint.processor.random.Ast.Param;
import dev.adjoint.processor.random.Ast.Program;
import dev.adjoint.processor.random.Ast.Return;
import dev.adjoint.processor.random.Ast.ReturnArray;
import dev.adjoint.processor.random.Ast.Stmt;
import dev.adjoint.processor.random.Ast.TableRead;
import dev.adjoint.processor.random.Ast.Ternary;
import dev.adjoint.processor.random.Ast.Var;
import dev.adjoint.processor.random.Ast.While;
import dev.adjoint.processor.random.Ast.CallVoid;
import dev.adjoint.processor.random.Ast.Case;
import dev.adjoint.processor.random.Ast.Switch;
import dev.adjoint.processor.random.Ast.SwitchExpr;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a (shrunk) program is still valid Java of the generated kind: every name declared and in scope with the
 * right type, break and continue inside loops with known labels, no unreachable statement, every method ending in a
 * return, calls matching their helpers. The shrinker only tries candidates this accepts, so a shrunk failure is never
 * an error of the candidate itself.
 */
final class Validator {
  private enum Kind { DOUBLE, INT, ARRAY, MATRIX }

  private final Program program;
  private final Deque<Map<String, Kind>> scopes = new ArrayDeque<>();
  private final Deque<String> loops = new ArrayDeque<>();
  private final Map<String, Integer> arrayLengths = new HashMap<>();
  private final Map<String, int[]> shapes = new HashMap<>();
  private Method method;
  /** How many branches of ?:, && or || the expression being checked is in: no opaque calls there (ADJ222). */
  private int conditional;

  private Validator(Program program) {
    this.program = program;
  }

  static boolean valid(Program program) {
    return problem(program) == null;
  }

  /** Why the program is not valid, or null if it is. */
  static String problem(Program program) {
    try {
      Validator v = new Validator(program);
      for (Method m : program.helpers()) {
        v.method(m);
      }
      v.method(program.main());
      return null;
    } catch (Invalid e) {
      return e.getMessage();
    }
  }

  private static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new Invalid(message);
    }
  }

  private void method(Method m) {
    method = m;
    scopes.clear();
    loops.clear();
    arrayLengths.clear();
    scopes.push(new HashMap<>());
    shapes.clear();
    for (Param p : m.params()) {
      require(!buffer(p.name()), "a parameter named as a buffer: " + p.name());
      declare(p.name(), p.matrix() ? Kind.MATRIX : p.array() ? Kind.ARRAY : Kind.DOUBLE);
      if (p.matrix()) {
        shapes.put(p.name(), new int[] {p.rows(), p.cols()});
      }
      if (p.array()) {
        arrayLengths.put(p.name(), isOut(p.name()) ? m.outLength() : program.arrayLength());
      }
    }
    require(!m.isVoid() || (!m.params().isEmpty() && m.params().get(0).array()), "a void helper without out array");
    require(m.annotated() || m != program.main(), "main without annotation");
    boolean completes = block(m.body());
    require(m.isVoid() || !completes, "method " + m.name() + " can complete normally");
  }

  /**
   * Whether an array is a buffer (the generator names them b0, b1, ...): a {@code new double[n]} that only opaque
   * helpers write and nothing passes on, so it never holds differentiated values.
   */
  private static boolean buffer(String name) {
    return name.matches("b\\d+");
  }

  private void declare(String name, Kind kind) {
    require(lookup(name) == null, "redeclared " + name);
    scopes.peek().put(name, kind);
  }

  private Kind lookup(String name) {
    for (Map<String, Kind> s : scopes) {
      Kind k = s.get(name);
      if (k != null) {
        return k;
      }
    }
    return null;
  }

  private void use(String name, Kind kind) {
    require(lookup(name) == kind, "not a " + kind + " in scope: " + name);
  }

  /** Checks a block in a new scope; returns whether it can complete normally. */
  private boolean scopedBlock(List<Stmt> statements) {
    scopes.push(new HashMap<>());
    boolean completes = block(statements);
    scopes.pop();
    return completes;
  }

  private boolean block(List<Stmt> statements) {
    boolean completes = true;
    for (Stmt s : statements) {
      require(completes, "unreachable statement");
      completes = statement(s);
    }
    return completes;
  }

  /** Checks a statement; returns whether it can complete normally (JLS 14.22, for the shapes generated here). */
  private boolean statement(Stmt statement) {
    if (statement instanceof DeclD d) {
      expr(d.init());
      declare(d.name(), Kind.DOUBLE);
    } else if (statement instanceof Assign a) {
      expr(a.e());
      use(a.name(), Kind.DOUBLE);
      require(!isParameterOrForEach(a.name()) || isScalarParameter(a.name()), "assigns a loop variable");
    } else if (statement instanceof Compound c) {
      expr(c.e());
      use(c.name(), Kind.DOUBLE);
      require(!isParameterOrForEach(c.name()) || isScalarParameter(c.name()), "assigns a loop variable");
    } else if (statement instanceof DeclArr d) {
      require(d.length() > 0, "empty array");
      declare(d.name(), Kind.ARRAY);
      arrayLengths.put(d.name(), d.length());
    } else if (statement instanceof DeclArrInit d) {
      require(!d.init().isEmpty(), "empty array");
      require(!buffer(d.name()), "a buffer with differentiated values");
      d.init().forEach(this::expr);
      declare(d.name(), Kind.ARRAY);
      arrayLengths.put(d.name(), d.init().size());
    } else if (statement instanceof DeclArrCall d) {
      require(!buffer(d.name()), "a buffer with differentiated values");
      expr(d.call());
      Method callee = program.method(d.call().method());
      require(callee.vector() && callee.vectorLength() == d.length(), "not a vector call");
      declare(d.name(), Kind.ARRAY);
      arrayLengths.put(d.name(), d.length());
    } else if (statement instanceof ArrAssign a) {
      use(a.name(), Kind.ARRAY);
      require(isOut(a.name()) || method.params().stream().noneMatch(p -> p.name().equals(a.name())),
          "writes a parameter array");
      require(!buffer(a.name()), "writes a buffer");
      intExpr(a.index());
      expr(a.e());
    } else if (statement instanceof DeclM d) {
      int[] shape = matrix(d.init());
      declare(d.name(), Kind.MATRIX);
      shapes.put(d.name(), shape);
    } else if (statement instanceof AssignM a) {
      int[] shape = matrix(a.e());
      use(a.name(), Kind.MATRIX);
      require(method.params().stream().noneMatch(p -> p.name().equals(a.name())), "assigns a matrix parameter");
      require(java.util.Arrays.equals(shapes.get(a.name()), shape), "shape changed");
    } else if (statement instanceof If i) {
      cond(i.c());
      boolean then = scopedBlock(i.then());
      boolean els = scopedBlock(i.els());
      return i.els().isEmpty() || then || els;
    } else if (statement instanceof For f) {
      require(f.to() > f.from(), "empty loop");
      if (f.lengthOf() != null) {
        use(f.lengthOf(), Kind.ARRAY);
        require(arrayLengths.get(f.lengthOf()) == f.to(), "length changed");
      }
      loops.push(f.label() == null ? "" : f.label());
      scopes.push(new HashMap<>());
      declare(f.var(), Kind.INT);
      scopedBlock(f.body());
      scopes.pop();
      loops.pop();
      return true;
    } else if (statement instanceof ForEach f) {
      use(f.array(), Kind.ARRAY);
      loops.push(f.label() == null ? "" : f.label());
      scopes.push(new HashMap<>());
      declare(f.var(), Kind.DOUBLE);
      forEachVariables.push(f.var());
      scopedBlock(f.body());
      forEachVariables.pop();
      scopes.pop();
      loops.pop();
      return true;
    } else if (statement instanceof While w) {
      require(w.max() > 0, "empty loop");
      declare(w.guard(), Kind.INT);
      cond(w.c());
      loops.push(w.label() == null ? "" : w.label());
      boolean body = scopedBlock(w.body());
      loops.pop();
      // a do-while whose body cannot complete normally completes only through a break or continue
      return !w.doWhile() || body || containsJump(w.body());
    } else if (statement instanceof Break b) {
      jump(b.label());
      return false;
    } else if (statement instanceof Continue c) {
      jump(c.label());
      return false;
    } else if (statement instanceof CallVoid c) {
      Method callee = callee(c.call());
      require(callee.isVoid(), "not a void helper");
      String out = c.call().args().isEmpty() || !(c.call().args().get(0) instanceof ArrayRef ref) ? null : ref.array();
      require(out != null, "no out array");
      require(isOut(out) || method.params().stream().noneMatch(p -> p.name().equals(out)), "writes a parameter array");
      require(arrayLengths.get(out) != null && arrayLengths.get(out) == callee.outLength(), "out array length");
      arguments(callee, c.call());
    } else if (statement instanceof Switch w) {
      intExpr(w.selector());
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      int defaults = 0;
      for (Case c : w.cases()) {
        defaults += c.labels().isEmpty() ? 1 : 0;
        c.labels().forEach(label -> require(seen.add(label), "duplicate case label"));
        require(!containsUnlabelledBreak(c.body()), "an unlabelled break in a switch");
        require(scopedBlock(c.body()), "a case that cannot complete normally");
      }
      require(defaults <= 1, "two defaults");
    } else if (statement instanceof Return r) {
      require(!method.isVoid(), "return in a void helper");
      require(!method.vector(), "scalar return in a vector method");
      expr(r.e());
      return false;
    } else if (statement instanceof ReturnArray r) {
      require(method.vector(), "vector return in a scalar method");
      if (r.array() != null) {
        use(r.array(), Kind.ARRAY);
        require(arrayLengths.get(r.array()) == method.vectorLength(), "wrong length");
        require(method.params().stream().noneMatch(p -> p.name().equals(r.array())), "returns a parameter");
      } else {
        require(r.elements().size() == method.vectorLength(), "wrong length");
        r.elements().forEach(this::expr);
      }
      return false;
    }
    return true;
  }

  private final Deque<String> forEachVariables = new ArrayDeque<>();

  private boolean isParameterOrForEach(String name) {
    return forEachVariables.contains(name) || method.params().stream().anyMatch(p -> p.name().equals(name));
  }

  private boolean isScalarParameter(String name) {
    return method.params().stream().anyMatch(p -> p.name().equals(name) && !p.array());
  }

  /** Whether {@code name} is the out array of the void helper being checked. */
  private boolean isOut(String name) {
    return method.isVoid() && method.params().get(0).name().equals(name);
  }

  /** Whether an unlabelled break in {@code statements}, outside loops nested in them, would leave a switch. */
  private static boolean containsUnlabelledBreak(List<Stmt> statements) {
    for (Stmt s : statements) {
      if (s instanceof Break b && b.label() == null
          || s instanceof If i && (containsUnlabelledBreak(i.then()) || containsUnlabelledBreak(i.els()))
          || s instanceof Switch w && w.cases().stream().anyMatch(c -> containsUnlabelledBreak(c.body()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsJump(List<Stmt> statements) {
    for (Stmt s : statements) {
      if (s instanceof Break || s instanceof Continue) {
        return true;
      }
      if (s instanceof If i && (containsJump(i.then()) || containsJump(i.els()))) {
        return true;
      }
    }
    return false;
  }

  private void jump(String label) {
    require(!loops.isEmpty(), "break or continue outside a loop");
    if (label != null) {
      require(loops.contains(label), "unknown label " + label);
    }
  }

  private void expr(Expr e) {
    if (e instanceof Lit) {
      return;
    } else if (e instanceof Var v) {
      use(v.name(), Kind.DOUBLE);
    } else if (e instanceof IntAsDouble i) {
      intExpr(i.e());
    } else if (e instanceof ArrayRead a) {
      use(a.array(), Kind.ARRAY);
      intExpr(a.index());
    } else if (e instanceof ArrayRef) {
      throw new Invalid("array used as a value");
    } else if (e instanceof Neg n) {
      expr(n.e());
    } else if (e instanceof Bin b) {
      expr(b.l());
      expr(b.r());
    } else if (e instanceof Fn1 f) {
      expr(f.a());
    } else if (e instanceof Fn2 f) {
      expr(f.a());
      expr(f.b());
    } else if (e instanceof Ternary t) {
      cond(t.c());
      conditional++;
      expr(t.a());
      expr(t.b());
      conditional--;
    } else if (e instanceof MReduce r) {
      int[] shape = matrix(r.a());
      require(!r.fn().equals("trace") || shape[0] == shape[1], "trace of a non-square matrix");
    } else if (e instanceof MDot d) {
      require(java.util.Arrays.equals(matrix(d.a()), matrix(d.b())), "shapes differ");
    } else if (e instanceof MGet g) {
      int[] shape = matrix(g.a());
      require(g.row() >= 0 && g.row() < shape[0] && g.col() >= 0 && g.col() < shape[1], "index");
    } else if (e instanceof Opaque o) {
      require(program.statics() != null, "no static state");
      require(conditional == 0, "an opaque call in a branch of ?:, && or ||");
      require(o.args().size() == o.helper().arity(), "arity");
      for (int k = 0; k < o.args().size(); k++) {
        Expr arg = o.args().get(k);
        if (k == 0 && o.helper().buffer) {
          require(arg instanceof ArrayRef ref && buffer(ref.array()), "not a buffer");
          use(((ArrayRef) arg).array(), Kind.ARRAY);
        } else {
          require(inactive(arg), "an opaque call on a value that may be differentiated");
          expr(arg);
        }
      }
    } else if (e instanceof Const c) {
      require(program.statics() != null && c.index() < program.statics().constants().size(), "no constant");
    } else if (e instanceof TableRead t) {
      require(program.statics() != null, "no table");
      intExpr(t.index());
    } else if (e instanceof SwitchExpr w) {
      intExpr(w.selector());
      require(w.values().size() == w.labels().size() + 1, "no default");
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      w.labels().forEach(labels -> labels.forEach(label -> require(seen.add(label), "duplicate case label")));
      conditional++;
      w.values().forEach(this::expr);
      conditional--;
    } else if (e instanceof Invoke i) {
      Method callee = callee(i);
      require(!callee.isVoid(), "a void helper used as a value");
      arguments(callee, i);
    }
  }

  private Method callee(Invoke i) {
    Method callee;
    try {
      callee = program.method(i.method());
    } catch (IllegalArgumentException missing) {
      throw new Invalid("no helper " + i.method());
    }
    require(program.helpers().contains(callee), "calls the main method");
    require(program.helpers().indexOf(callee) < indexOfCurrent(), "calls a later helper");
    require(!StaticState.reads(callee), "calls a helper that cannot be run again (ADJ223)");
    require(callee.params().size() == i.args().size(), "arity");
    return callee;
  }

  /** Checks the arguments of a call; the out array of a void helper is checked by the caller. */
  private void arguments(Method callee, Invoke i) {
    for (int k = callee.isVoid() ? 1 : 0; k < i.args().size(); k++) {
      Expr arg = i.args().get(k);
      if (callee.params().get(k).array()) {
        require(arg instanceof ArrayRef, "array parameter");
        String name = ((ArrayRef) arg).array();
        use(name, Kind.ARRAY);
        require(arrayLengths.get(name) == program.arrayLength(), "array length");
        require(!buffer(name), "a buffer passed to a differentiated helper");
      } else {
        require(!(arg instanceof ArrayRef), "scalar parameter");
        expr(arg);
      }
    }
  }

  /** Whether {@code e} is made only of what never depends on the differentiated parameters (see the generator). */
  private boolean inactive(Expr e) {
    if (e instanceof Bin b) {
      return (b.op() == '+' || b.op() == '*') && inactive(b.l()) && inactive(b.r());
    } else if (e instanceof ArrayRead a) {
      return buffer(a.array());
    }
    return e instanceof Lit || e instanceof IntAsDouble || e instanceof Const || e instanceof TableRead
        || e instanceof Opaque;
  }

  /** Checks a Matrix expression; returns its shape. */
  private int[] matrix(MExpr e) {
    if (e instanceof MVar v) {
      use(v.name(), Kind.MATRIX);
      return shapes.get(v.name());
    } else if (e instanceof MFilled f) {
      require(f.rows() > 0 && f.cols() > 0, "empty matrix");
      return new int[] {f.rows(), f.cols()};
    } else if (e instanceof MTimes t) {
      int[] a = matrix(t.a());
      int[] b = matrix(t.b());
      require(a[1] == b[0], "inner dimensions");
      return new int[] {a[0], b[1]};
    } else if (e instanceof MTranspose t) {
      int[] a = matrix(t.a());
      return new int[] {a[1], a[0]};
    } else if (e instanceof MBin b) {
      int[] l = matrix(b.a());
      int[] r = matrix(b.b());
      require(java.util.Arrays.equals(l, r), "shapes differ");
      return l;
    } else if (e instanceof MScale m) {
      expr(m.factor());
      return matrix(m.a());
    } else if (e instanceof MPlusScalar m) {
      expr(m.offset());
      return matrix(m.a());
    } else if (e instanceof MMap m) {
      return matrix(m.a());
    }
    throw new Invalid("unknown " + e);
  }

  private int indexOfCurrent() {
    int index = program.helpers().indexOf(method);
    return index < 0 ? Integer.MAX_VALUE : index;
  }

  private void intExpr(IntExpr e) {
    if (e instanceof ILit) {
      return;
    } else if (e instanceof IVar v) {
      use(v.name(), Kind.INT);
    } else if (e instanceof IAdd a) {
      intExpr(a.e());
    } else if (e instanceof IRev r) {
      intExpr(r.e());
    } else if (e instanceof IMod m) {
      intExpr(m.e());
    } else if (e instanceof ILength l) {
      use(l.array(), Kind.ARRAY);
    }
  }

  private void cond(Cond c) {
    if (c instanceof Cmp cmp) {
      expr(cmp.l());
      expr(cmp.r());
    } else if (c instanceof ICmp cmp) {
      intExpr(cmp.l());
      intExpr(cmp.r());
    } else if (c instanceof And a) {
      cond(a.l());
      conditional++;
      cond(a.r());
      conditional--;
    } else if (c instanceof Or o) {
      cond(o.l());
      conditional++;
      cond(o.r());
      conditional--;
    } else if (c instanceof Not n) {
      cond(n.c());
    }
  }
}
