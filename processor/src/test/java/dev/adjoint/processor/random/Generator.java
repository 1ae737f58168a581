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
import dev.adjoint.processor.random.Ast.Statics;
import dev.adjoint.processor.random.Ast.Stmt;
import dev.adjoint.processor.random.Ast.TableRead;
import dev.adjoint.processor.random.StaticState.Helper;
import dev.adjoint.processor.random.Ast.Ternary;
import dev.adjoint.processor.random.Ast.Var;
import dev.adjoint.processor.random.Ast.While;
import dev.adjoint.processor.random.Ast.CallVoid;
import dev.adjoint.processor.random.Ast.Case;
import dev.adjoint.processor.random.Ast.Switch;
import dev.adjoint.processor.random.Ast.SwitchExpr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random, well-typed {@code @Differentiable} programs over the supported subset, with arguments of the Math functions
 * kept inside their domains by construction ({@code log(1 + e * e)}, {@code asin(0.9 * tanh(e))}, ...), in-range
 * array indices, loops with small trip counts and data-dependent while loops bounded by a guard counter.
 */
final class Generator {
  private static final double[] NICE = {0.5, 1.0, 2.0, 3.0, 0.25, 1.5, 0.1, 0.7};
  private static final String[] ANY1 = {"sin", "cos", "atan", "tanh", "cbrt", "abs"};
  private static final String[] BOUNDED = {"sin", "cos", "tanh", "atan"};
  private static final String[] GROWING = {"exp", "expm1", "sinh", "cosh"};
  private static final String[] LOGS = {"log", "log10", "sqrt"};
  private static final String[] ANY2 = {"atan2", "hypot", "max", "min"};

  /**
   * Features to leave out, to look past a known processor bug while exploring, comma-separated in {@code
   * -Dadjoint.random.avoid}: {@code loopDecl} (no declarations inside loop bodies), {@code forEach} (no enhanced for),
   * {@code matrix} (no Matrix parameter), {@code earlyReturn}, {@code ternary}, {@code statics} (no static state: no
   * opaque calls, constants or table), {@code table} (no reads of the static array in the methods), {@code private}
   * (package-private constants), {@code nested} (no nested class), {@code vectorOpaque} (no opaque calls in
   * vector-valued methods), {@code opaqueHessian} (programs with static state do not ask for HESSIAN: {@link
   * RandomProgramsTest}), {@code plainHelpers} (every helper has {@code @Differentiable}), {@code voidHelpers} (no
   * void helper with an out-parameter), {@code switch} (no switch statement or expression).
   *
   * <p>The default leaves out {@code vectorOpaque}: hJacobian runs the method once for the shape of its value, then
   * once per row or, going forward, per column (docs/DIAGNOSTICS.md), and the checker models neither count yet.
   * Pass {@code -Dadjoint.random.avoid=} to generate everything.
   */
  static final java.util.Set<String> AVOID =
      java.util.Set.copyOf(java.util.Arrays.asList(System.getProperty("adjoint.random.avoid",
          "vectorOpaque").split(",")));

  private final SplittableRandom random;

  Generator(SplittableRandom random) {
    this.random = random;
  }

  /**
   * A program named {@code className} whose {@code double[]} parameters have length {@code arrayLength} (0: none).
   * About a third have static state (constants, a table, opaque helpers with side effects: {@link StaticState}); about
   * one in seven has its methods in a nested class.
   */
  Program program(String className, int arrayLength) {
    Statics statics = chance(35) && !AVOID.contains("statics") ? statics() : null;
    boolean nested = chance(15) && !AVOID.contains("nested");
    List<Method> helpers = new ArrayList<>();
    int helperCount = chance(40) ? 0 : chance(60) ? 1 : 2;
    for (int h = 0; h < helperCount; h++) {
      helpers.add(helper("h" + h, helpers, arrayLength, statics));
    }
    List<Param> params = new ArrayList<>();
    String[] names = {"x", "y", "z"};
    int scalars = 1 + random.nextInt(3);
    for (int i = 0; i < scalars; i++) {
      params.add(new Param(names[i], false));
    }
    if (arrayLength > 0 && chance(55)) {
      params.add(random.nextInt(params.size() + 1), new Param("w", true));
    }
    if (!AVOID.contains("matrix") && chance(20)) {
      Param matrix = new Param("m", false, 1 + random.nextInt(3), 1 + random.nextInt(3));
      params.add(random.nextInt(params.size() + 1), matrix);
    }
    Method main = method("f", params, 0, helpers, arrayLength, 3 + random.nextInt(5), statics);
    return new Program(className, helpers, main, arrayLength).withStatics(statics, nested);
  }

  private Statics statics() {
    List<Double> constants = new ArrayList<>();
    for (int c = 1 + random.nextInt(3); c > 0; c--) {
      constants.add(literal());
    }
    List<Double> table = new ArrayList<>();
    for (int t = 1 + random.nextInt(4); t > 0; t--) {
      table.add(literal());
    }
    return new Statics(constants, AVOID.contains("private"), table, random.nextInt(1_000_000));
  }

  /**
   * A helper: mostly {@code @Differentiable}; else without annotation (differentiated for its callers, perhaps
   * private), some of those void, filling an out-parameter {@code out} of 1 to 3 elements. Helpers without
   * annotation have no static state, so that Adjoint can differentiate them.
   */
  private Method helper(String name, List<Method> earlier, int arrayLength, Statics statics) {
    if (!AVOID.contains("plainHelpers") && chance(45)) {
      boolean isPrivate = chance(50);
      if (!AVOID.contains("voidHelpers") && chance(45)) {
        List<Param> params = new ArrayList<>(List.of(new Param("out", true)));
        params.addAll(helperParams(arrayLength));
        int outLength = chance(40) && arrayLength > 0 ? arrayLength : 1 + random.nextInt(3);
        Method body = method(name, params, 0, List.copyOf(earlier), arrayLength, 1 + random.nextInt(3), null, outLength);
        return new Method(name, body.params(), 0, body.body(), false, isPrivate, outLength);
      }
      Method plain = valueHelper(name, earlier, arrayLength, null);
      return new Method(name, plain.params(), plain.vectorLength(), plain.body(), false, isPrivate, 0);
    }
    return valueHelper(name, earlier, arrayLength, statics);
  }

  private List<Param> helperParams(int arrayLength) {
    List<Param> params = new ArrayList<>();
    String[] names = {"u", "v"};
    int scalars = 1 + random.nextInt(2);
    for (int i = 0; i < scalars; i++) {
      params.add(new Param(names[i], false));
    }
    if (arrayLength > 0 && chance(30)) {
      params.add(random.nextInt(params.size() + 1), new Param("c", true));
    }
    return params;
  }

  /** A helper returning a double or, sometimes, a double[]. */
  private Method valueHelper(String name, List<Method> earlier, int arrayLength, Statics statics) {
    List<Param> params = helperParams(arrayLength);
    int vectorLength = chance(25) ? 2 + random.nextInt(2) : 0;
    return method(name, params, vectorLength, List.copyOf(earlier), arrayLength, 1 + random.nextInt(4), statics);
  }

  private Method method(String name, List<Param> params, int vectorLength, List<Method> callable, int arrayLength,
      int statements, Statics statics) {
    return method(name, params, vectorLength, callable, arrayLength, statements, statics, 0);
  }

  /** A method; with {@code outLength > 0} a void one that ends by writing each element of its first parameter. */
  private Method method(String name, List<Param> params, int vectorLength, List<Method> callable, int arrayLength,
      int statements, Statics statics, int outLength) {
    Context context = new Context(callable, arrayLength, vectorLength, statics);
    context.outLength = outLength;
    context.opaqueCalls = vectorLength == 0 || !AVOID.contains("vectorOpaque");
    context.push();
    for (Param p : params) {
      if (p.matrix()) {
        context.scopes.peek().matrices.add(new MatrixVar(p.name(), p.rows(), p.cols(), false));
      } else if (p.array() && outLength > 0 && p == params.get(0)) {
        context.arrays().add(new ArrayVar(p.name(), outLength, true, false));
      } else if (p.array()) {
        context.arrays().add(new ArrayVar(p.name(), arrayLength, false, false));
      } else {
        context.assignable().add(p.name());
      }
    }
    List<Stmt> body = context.block(statements, 0);
    if (outLength > 0) {
      for (int k = 0; k < outLength; k++) {
        // mostly overwritten; sometimes accumulated, so that the old contents flow into the new
        body.add(new ArrAssign(params.get(0).name(), new ILit(k), chance(25) ? '+' : '=', context.expr(2)));
      }
    } else {
      body.add(context.finalReturn());
    }
    return new Method(name, List.copyOf(params), vectorLength, body);
  }

  private boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  private <E> E pick(List<E> list) {
    return list.get(random.nextInt(list.size()));
  }

  private String pick(String[] names) {
    return names[random.nextInt(names.length)];
  }

  private double literal() {
    if (chance(3)) {
      return chance(50) ? Math.PI : Math.E;
    }
    if (chance(60)) {
      return NICE[random.nextInt(NICE.length)];
    }
    double v = Math.round(random.nextDouble(-3, 3) * 1000) / 1000.0;
    return v == 0 ? 0.0 : v;
  }

  private double positiveLiteral() {
    return chance(60) ? NICE[random.nextInt(NICE.length)] : Math.round(random.nextDouble(0.2, 3) * 1000) / 1000.0;
  }

  private record IntVar(String name, int lo, int hi) {}

  /** A {@code buffer} (named b0, b1, ...: {@link Validator}) is written only by opaque helpers. */
  private record ArrayVar(String name, int length, boolean writable, boolean buffer) {}

  private record MatrixVar(String name, int rows, int cols, boolean assignable) {}

  private static final class Scope {
    final List<String> assignable = new ArrayList<>();
    final List<String> readOnly = new ArrayList<>();
    final List<IntVar> ints = new ArrayList<>();
    final List<ArrayVar> arrays = new ArrayList<>();
    final List<MatrixVar> matrices = new ArrayList<>();
  }

  /** The generation state of one method body. */
  private final class Context {
    private final List<Method> callable;
    private final int arrayLength;
    private final int vectorLength;
    /** The program class's static state, null where it has none. */
    private final Statics statics;
    private final Deque<Scope> scopes = new ArrayDeque<>();
    /** The enclosing loops, innermost first: each one's label ("" if none), and the scope depth it started at. */
    private final Deque<String> loops = new ArrayDeque<>();
    private final Deque<Integer> loopScopes = new ArrayDeque<>();
    private int counter;
    /**
     * How many branches of {@code ?:}, {@code &&} or {@code ||} the expression being generated is in: no opaque calls
     * there (ADJ222: derivative code could not tell whether they ran).
     */
    private int conditional;
    /** Whether this method may call the opaque helpers. */
    private boolean opaqueCalls = true;
    /** For a void helper, the length of its out array (it then has no return statement); else 0. */
    private int outLength;
    /** What an unlabelled break leaves, innermost first: true for a switch, false for a loop. */
    private final Deque<Boolean> breakTargets = new ArrayDeque<>();

    Context(List<Method> callable, int arrayLength, int vectorLength, Statics statics) {
      this.callable = callable;
      this.arrayLength = arrayLength;
      this.vectorLength = vectorLength;
      this.statics = statics;
    }

    void push() {
      scopes.push(new Scope());
    }

    void pop() {
      scopes.pop();
    }

    List<String> assignable() {
      return scopes.peek().assignable;
    }

    List<ArrayVar> arrays() {
      return scopes.peek().arrays;
    }

    String fresh(String prefix) {
      return prefix + counter++;
    }

    List<String> doubles() {
      List<String> all = new ArrayList<>();
      for (Scope s : scopes) {
        all.addAll(s.assignable);
        all.addAll(s.readOnly);
      }
      return all;
    }

    /** Assignable doubles; inside a loop, mostly those declared outside it (accumulators). */
    List<String> assignTargets() {
      List<String> all = new ArrayList<>();
      int depth = 0;
      int outsideLoop = loopScopes.isEmpty() ? Integer.MAX_VALUE : scopes.size() - loopScopes.peek();
      for (Scope s : scopes) {
        // scopes iterate innermost first; depth counts from the innermost
        if (depth >= outsideLoop || loopScopes.isEmpty() || chance(30)) {
          all.addAll(s.assignable);
        }
        depth++;
      }
      if (all.isEmpty()) {
        for (Scope s : scopes) {
          all.addAll(s.assignable);
        }
      }
      return all;
    }

    List<IntVar> ints() {
      List<IntVar> all = new ArrayList<>();
      for (Scope s : scopes) {
        all.addAll(s.ints);
      }
      return all;
    }

    List<ArrayVar> allArrays() {
      List<ArrayVar> all = new ArrayList<>();
      for (Scope s : scopes) {
        all.addAll(s.arrays);
      }
      return all;
    }

    List<MatrixVar> matrices() {
      List<MatrixVar> all = new ArrayList<>();
      for (Scope s : scopes) {
        all.addAll(s.matrices);
      }
      return all;
    }

    // ------------------------------------------------------------ matrices

    /** A Matrix expression of this shape. */
    MExpr matrix(int rows, int cols, int depth) {
      if (depth <= 0 || chance(30)) {
        List<MExpr> leaves = new ArrayList<>();
        for (MatrixVar m : matrices()) {
          if (m.rows() == rows && m.cols() == cols) {
            leaves.add(new MVar(m.name()));
          }
          if (m.rows() == cols && m.cols() == rows) {
            leaves.add(new MTranspose(new MVar(m.name())));
          }
        }
        return leaves.isEmpty() || chance(5) ? new MFilled(rows, cols, literal()) : pick(leaves);
      }
      int k = random.nextInt(100);
      if (k < 20) {
        int inner = 1 + random.nextInt(3);
        return new MTimes(matrix(rows, inner, depth - 1), matrix(inner, cols, depth - 1));
      } else if (k < 28) {
        return new MTranspose(matrix(cols, rows, depth - 1));
      } else if (k < 52) {
        String op = pick(new String[] {"plus", "minus", "multiply"});
        return new MBin(op, matrix(rows, cols, depth - 1), matrix(rows, cols, depth - 1));
      } else if (k < 66) {
        return new MScale(matrix(rows, cols, depth - 1), expr(depth - 1));
      } else if (k < 76) {
        return new MPlusScalar(matrix(rows, cols, depth - 1), expr(depth - 1));
      }
      String fn = pick(new String[] {"tanh", "sigmoid", "exp", "square"});
      return new MMap(fn, matrix(rows, cols, depth - 1));
    }

    /** A scalar from a matrix: sum, mean, squaredNorm, trace, dot or get. */
    Expr matrixScalar(int depth) {
      MatrixVar shape = pick(matrices());
      int rows = shape.rows();
      int cols = shape.cols();
      int k = random.nextInt(100);
      if (k < 40) {
        List<String> fns = new ArrayList<>(List.of("sum", "mean", "squaredNorm"));
        if (rows == cols) {
          fns.add("trace");
        }
        return new MReduce(pick(fns), matrix(rows, cols, depth - 1));
      } else if (k < 70) {
        return new MDot(matrix(rows, cols, depth - 1), matrix(rows, cols, depth - 1));
      }
      return new MGet(matrix(rows, cols, depth - 1), random.nextInt(rows), random.nextInt(cols));
    }

    void matrixStatement(List<Stmt> out) {
      List<MatrixVar> assignable = new ArrayList<>();
      for (MatrixVar m : matrices()) {
        if (m.assignable()) {
          assignable.add(m);
        }
      }
      if (!assignable.isEmpty() && chance(!loops.isEmpty() ? 70 : 35)) {
        MatrixVar target = pick(assignable);
        out.add(new AssignM(target.name(), matrix(target.rows(), target.cols(), 2)));
        return;
      }
      if (AVOID.contains("loopDecl") && !loops.isEmpty()) {
        return;
      }
      MatrixVar like = pick(matrices());
      int[][] shapes = {{like.rows(), like.cols()}, {like.cols(), like.rows()}, {like.rows(), like.rows()},
          {like.cols(), like.cols()}};
      int[] shape = shapes[random.nextInt(shapes.length)];
      String name = fresh("M");
      out.add(new DeclM(name, matrix(shape[0], shape[1], 2)));
      scopes.peek().matrices.add(new MatrixVar(name, shape[0], shape[1], true));
    }

    // ------------------------------------------------------------ expressions

    Expr expr(int depth) {
      if (depth <= 0 || chance(25)) {
        return leaf();
      }
      if (!AVOID.contains("switch") && chance(3)) {
        return switchExpr(depth);
      }
      int k = random.nextInt(100);
      if (k < 30) {
        return new Bin("+-*".charAt(random.nextInt(3)), expr(depth - 1), expr(depth - 1));
      } else if (k < 37) {
        return division(depth);
      } else if (k < 41) {
        return new Neg(expr(depth - 1));
      } else if (k < 82) {
        return function(depth);
      } else if (k < 88 && !AVOID.contains("ternary")) {
        Cond c = cond(depth - 1);
        conditional++;
        Ternary ternary = new Ternary(c, expr(depth - 1), expr(depth - 1));
        conditional--;
        return ternary;
      } else if (k < 94 && !matrices().isEmpty()) {
        return matrixScalar(depth);
      } else {
        Expr call = call(depth);
        return call != null ? call : expr(depth - 1);
      }
    }

    Expr leaf() {
      if (statics != null && chance(18)) {
        return inactive(1);
      }
      int k = random.nextInt(100);
      List<String> doubles = doubles();
      if (k < 60 && !doubles.isEmpty()) {
        return new Var(pick(doubles));
      }
      List<IntVar> ints = ints();
      if (k < 70 && !ints.isEmpty()) {
        return new IntAsDouble(new IVar(pick(ints).name()));
      }
      List<ArrayVar> arrays = allArrays();
      if (k < 88 && !arrays.isEmpty()) {
        ArrayVar a = pick(arrays);
        return new ArrayRead(a.name(), index(a.length()));
      }
      if (k < 92 || doubles.isEmpty()) {
        return new Lit(literal());
      }
      return new Var(pick(doubles));
    }

    List<ArrayVar> buffers() {
      List<ArrayVar> result = new ArrayList<>();
      for (ArrayVar a : allArrays()) {
        if (a.buffer()) {
          result.add(a);
        }
      }
      return result;
    }

    /**
     * An expression that does not depend on the differentiated parameters, the only kind an opaque call may take:
     * literals, ints, constants, table and buffer reads, opaque calls, and sums and products of those.
     */
    Expr inactive(int depth) {
      int k = random.nextInt(100);
      List<IntVar> ints = ints();
      List<ArrayVar> buffers = buffers();
      if (k < 35 && depth > 0 && conditional == 0 && opaqueCalls) {
        Helper helper = pick(List.of(Helper.values()));
        if (helper.buffer && buffers.isEmpty()) {
          helper = Helper.NEXT;
        }
        List<Expr> args = new ArrayList<>();
        if (helper.buffer) {
          args.add(new ArrayRef(pick(buffers).name()));
        }
        for (int a = 0; a < helper.doubles; a++) {
          args.add(inactive(depth - 1));
        }
        return new Opaque(helper, args);
      } else if (k < 50 && !ints.isEmpty()) {
        return new IntAsDouble(new IVar(pick(ints).name()));
      } else if (k < 62) {
        return new Const(random.nextInt(statics.constants().size()));
      } else if (k < 74 && !AVOID.contains("table")) {
        return new TableRead(index(statics.table().size()));
      } else if (k < 84 && !buffers.isEmpty()) {
        ArrayVar b = pick(buffers);
        return new ArrayRead(b.name(), index(b.length()));
      } else if (k < 90 && depth > 0) {
        return new Bin(chance(50) ? '+' : '*', inactive(depth - 1), inactive(depth - 1));
      }
      return new Lit(literal());
    }

    /** {@code switch (selector) { case ... -> e; default -> e; }}: its arms are evaluated conditionally. */
    Expr switchExpr(int depth) {
      IntExpr selector = selector();
      List<List<Integer>> labels = caseLabels(1 + random.nextInt(3));
      List<Expr> values = new ArrayList<>();
      conditional++;
      for (int i = 0; i <= labels.size(); i++) {
        values.add(expr(depth - 1));
      }
      conditional--;
      return new SwitchExpr(selector, labels, values);
    }

    /** An int to switch over: a loop counter or guard (perhaps modulo), or a literal. */
    IntExpr selector() {
      List<IntVar> ints = ints();
      if (ints.isEmpty() || chance(10)) {
        return new ILit(random.nextInt(4));
      }
      IntVar i = pick(ints);
      return i.lo() >= 0 && chance(40) ? new IMod(new IVar(i.name()), 2 + random.nextInt(2)) : new IVar(i.name());
    }

    /** The labels of {@code count} cases, distinct, from 0 to 4, one or two per case. */
    List<List<Integer>> caseLabels(int count) {
      List<Integer> pool = new ArrayList<>(List.of(0, 1, 2, 3, 4));
      java.util.Collections.shuffle(pool, new java.util.Random(random.nextLong()));
      List<List<Integer>> labels = new ArrayList<>();
      for (int c = 0; c < count && !pool.isEmpty(); c++) {
        List<Integer> these = new ArrayList<>(List.of(pool.remove(0)));
        if (chance(25) && !pool.isEmpty()) {
          these.add(pool.remove(0));
        }
        labels.add(these);
      }
      return labels;
    }

    /** A switch statement, arrow or colon form (with fall-through), with or without default. */
    void switchStatement(List<Stmt> out, int nesting) {
      IntExpr selector = selector();
      boolean arrow = chance(50);
      List<List<Integer>> labels = caseLabels(1 + random.nextInt(3));
      if (chance(60)) {
        labels.add(random.nextInt(labels.size() + 1), List.of()); // default, anywhere
      }
      List<Case> cases = new ArrayList<>();
      breakTargets.push(true);
      for (List<Integer> caseLabels : labels) {
        List<Stmt> body = nested(1 + random.nextInt(2), nesting + 1);
        cases.add(new Case(caseLabels, body, arrow || chance(65)));
      }
      breakTargets.pop();
      out.add(new Switch(selector, cases, arrow));
    }

    /** A call of a void helper, into a writable local array of its out array's length (declared here if need be). */
    boolean voidCall(List<Stmt> out, int depth) {
      List<Method> voids = new ArrayList<>();
      for (Method m : callable) {
        if (m.isVoid() && argumentsAvailable(m)) {
          voids.add(m);
        }
      }
      if (voids.isEmpty()) {
        return false;
      }
      Method m = pick(voids);
      List<ArrayVar> targets = new ArrayList<>();
      for (ArrayVar a : allArrays()) {
        if (a.writable() && !a.buffer() && a.length() == m.outLength()) {
          targets.add(a);
        }
      }
      String target;
      if (targets.isEmpty() || chance(30)) {
        target = fresh("a");
        out.add(new DeclArr(target, m.outLength()));
        arrays().add(new ArrayVar(target, m.outLength(), true, false));
      } else {
        target = pick(targets).name();
      }
      List<Expr> args = new ArrayList<>(List.of(new ArrayRef(target)));
      List<Expr> rest = arguments(m, depth);
      args.addAll(rest.subList(1, rest.size()));
      out.add(new CallVoid(new Invoke(m.name(), args)));
      return true;
    }

    /** An in-range index into an array of this length. */
    IntExpr index(int length) {
      List<IntVar> fitting = new ArrayList<>();
      for (IntVar i : ints()) {
        if (i.hi() - i.lo() + 1 <= length) {
          fitting.add(i);
        }
      }
      List<IntVar> nonNegative = new ArrayList<>();
      for (IntVar i : ints()) {
        if (i.lo() >= 0) {
          nonNegative.add(i);
        }
      }
      int k = random.nextInt(100);
      if (k < 55 && !fitting.isEmpty()) {
        IntVar i = pick(fitting);
        if (chance(25) && i.hi() <= length - 1 + i.lo()) {
          int c = i.hi() + random.nextInt(length - 1 + i.lo() - i.hi() + 1);
          return new IRev(c, new IVar(i.name()));
        }
        int low = -i.lo();
        int high = length - 1 - i.hi();
        int c = low + random.nextInt(high - low + 1);
        return c == 0 ? new IVar(i.name()) : new IAdd(new IVar(i.name()), c);
      }
      if (k < 75 && !nonNegative.isEmpty()) {
        IntVar i = pick(nonNegative);
        int c = random.nextInt(3);
        return new IMod(c == 0 ? new IVar(i.name()) : new IAdd(new IVar(i.name()), c), length);
      }
      return new ILit(random.nextInt(length));
    }

    Expr bounded(int depth) {
      return new Fn1(pick(BOUNDED), expr(depth));
    }

    /** An expression bounded away from zero from above: c + e², exp(bounded), 2 + sin e, hypot(e, 1), ... */
    Expr positive(int depth) {
      int k = random.nextInt(8);
      Expr e = expr(depth - 1);
      return switch (k) {
        case 0, 1 -> new Bin('+', new Lit(pick(List.of(0.5, 1.0, 2.0))), new Bin('*', e, e));
        case 2 -> new Fn1("exp", bounded(depth - 1));
        case 3 -> new Bin('+', new Lit(2.0), new Fn1(chance(50) ? "sin" : "cos", e));
        case 4 -> new Fn2("hypot", e, new Lit(1.0));
        case 5 -> new Fn1("cosh", bounded(depth - 1));
        case 6 -> new Bin('+', new Lit(0.5), new Fn1("abs", e));
        default -> new Lit(positiveLiteral());
      };
    }

    Expr division(int depth) {
      int k = random.nextInt(100);
      Expr numerator = expr(depth - 1);
      if (k < 70) {
        return new Bin('/', numerator, positive(depth - 1));
      } else if (k < 92) {
        double d = positiveLiteral();
        return new Bin('/', numerator, new Lit(chance(20) ? -d : d));
      }
      return new Bin('/', numerator, expr(depth - 1));
    }

    Expr function(int depth) {
      int k = random.nextInt(100);
      if (k < 30) {
        return new Fn1(pick(ANY1), expr(depth - 1));
      } else if (k < 35) {
        return new Fn1("tan", new Bin('*', new Lit(pick(List.of(0.3, 0.5, 0.9))), bounded(depth - 1)));
      } else if (k < 42) {
        String fn = chance(50) ? "asin" : "acos";
        Expr inner = chance(50) ? new Fn1("tanh", expr(depth - 1))
            : new Bin('*', new Lit(0.9), new Fn1(chance(50) ? "sin" : "tanh", expr(depth - 1)));
        return new Fn1(fn, inner);
      } else if (k < 55) {
        return new Fn1(pick(GROWING), chance(70) ? bounded(depth - 1) : expr(depth - 1));
      } else if (k < 68) {
        return new Fn1(pick(LOGS), positive(depth - 1));
      } else if (k < 72) {
        Expr e = expr(depth - 1);
        Expr nonNegative = chance(50) ? new Bin('*', e, e) : chance(50) ? new Fn1("abs", e) : positive(depth - 1);
        return new Fn1("log1p", nonNegative);
      } else if (k < 88) {
        return new Fn2(pick(ANY2), expr(depth - 1), expr(depth - 1));
      } else if (k < 94) {
        return new Fn2("pow", expr(depth - 1), new Lit(pick(List.of(2.0, 3.0, 2.0, 4.0, 1.0))));
      } else {
        Expr exponent = chance(50) ? bounded(depth - 1) : new Lit(pick(List.of(0.5, 1.5, -0.5, 2.5)));
        return new Fn2("pow", positive(depth - 1), exponent);
      }
    }

    /**
     * A call of a scalar-valued helper, or null when there is none with arguments available. Helpers that make opaque
     * calls or read {@code TABLE} are not called: their pullback would run them again (ADJ223); they are checked on
     * their own.
     */
    Expr call(int depth) {
      List<Method> scalars = new ArrayList<>();
      for (Method m : callable) {
        if (!m.vector() && !m.isVoid() && argumentsAvailable(m) && !StaticState.reads(m)) {
          scalars.add(m);
        }
      }
      if (scalars.isEmpty()) {
        return null;
      }
      Method m = pick(scalars);
      return new Invoke(m.name(), arguments(m, depth));
    }

    boolean argumentsAvailable(Method m) {
      boolean needsArray = m.params().stream().skip(m.isVoid() ? 1 : 0).anyMatch(Param::array);
      return !needsArray || !arraysOfLength(arrayLength).isEmpty();
    }

    List<ArrayVar> arraysOfLength(int length) {
      List<ArrayVar> result = new ArrayList<>();
      for (ArrayVar a : allArrays()) {
        if (a.length() == length && !a.buffer()) {
          result.add(a);
        }
      }
      return result;
    }

    List<Expr> arguments(Method m, int depth) {
      List<Expr> args = new ArrayList<>();
      for (Param p : m.params()) {
        boolean out = m.isVoid() && p == m.params().get(0);
        args.add(out ? null : p.array() ? new ArrayRef(pick(arraysOfLength(arrayLength)).name()) : expr(depth - 1));
      }
      return args;
    }

    Cond cond(int depth) {
      int k = random.nextInt(100);
      List<IntVar> ints = ints();
      if (k < 10 && !ints.isEmpty()) {
        IntVar i = pick(ints);
        if (chance(50) && i.lo() >= 0) {
          return new ICmp(chance(50) ? "==" : "!=", new IMod(new IVar(i.name()), 2), new ILit(0));
        }
        String[] ops = {"<", "<=", ">", ">=", "==", "!="};
        return new ICmp(pick(ops), new IVar(i.name()), new ILit(i.lo() + random.nextInt(i.hi() - i.lo() + 1)));
      } else if (k < 17 && depth > 0) {
        Cond l = cond(depth - 1);
        conditional++;
        Cond r = cond(depth - 1);
        conditional--;
        return new And(l, r);
      } else if (k < 23 && depth > 0) {
        Cond l = cond(depth - 1);
        conditional++;
        Cond r = cond(depth - 1);
        conditional--;
        return new Or(l, r);
      } else if (k < 26 && depth > 0) {
        return new Not(cond(depth - 1));
      }
      String[] ops = {"<", "<=", ">", ">="};
      Expr right = chance(50) ? new Lit(literal()) : expr(Math.max(depth, 1));
      return new Cmp(pick(ops), expr(Math.max(depth, 1)), right);
    }

    // ------------------------------------------------------------ statements

    List<Stmt> block(int count, int nesting) {
      List<Stmt> statements = new ArrayList<>();
      for (int n = 0; n < count; n++) {
        statement(statements, nesting);
      }
      return statements;
    }

    /** A nested block in a scope of its own. */
    List<Stmt> nested(int count, int nesting) {
      push();
      List<Stmt> body = block(count, nesting + 1);
      pop();
      return body;
    }

    void statement(List<Stmt> out, int nesting) {
      int k = random.nextInt(100);
      if (AVOID.contains("loopDecl") && !loops.isEmpty() && (k < 20 || k >= 45 && k < 50 || k >= 58 && k < 62)) {
        k = 25; // an assignment instead of a declaration inside a loop body
      }
      if (!matrices().isEmpty() && chance(15)) {
        matrixStatement(out);
        return;
      }
      boolean compound = nesting < 3;
      boolean loop = compound && loops.size() < 2;
      int depth = 1 + random.nextInt(3);
      if (chance(15) && voidCall(out, depth)) {
        return;
      }
      if (compound && !AVOID.contains("switch") && chance(6)) {
        switchStatement(out, nesting);
        return;
      }
      if (statics != null && chance(10)) {
        List<ArrayVar> buffers = buffers();
        if (buffers.isEmpty() || chance(30) || !opaqueCalls) {
          String name = fresh("b");
          int length = 1 + random.nextInt(3);
          out.add(new DeclArr(name, length));
          arrays().add(new ArrayVar(name, length, false, true));
        } else {
          ArrayVar buffer = pick(buffers);
          String name = fresh("d");
          out.add(new DeclD(name, new Opaque(Helper.FILL, List.of(new ArrayRef(buffer.name()), inactive(1))), false));
          assignable().add(name);
        }
        return;
      }
      if (k < 20) {
        String name = fresh("d");
        out.add(new DeclD(name, expr(depth), chance(15)));
        assignable().add(name);
      } else if (k < 33) {
        List<String> targets = assignTargets();
        if (targets.isEmpty()) {
          statement(out, nesting);
          return;
        }
        out.add(new Assign(pick(targets), expr(depth)));
      } else if (k < 45) {
        List<String> targets = assignTargets();
        if (targets.isEmpty()) {
          statement(out, nesting);
          return;
        }
        char op = "+-*/".charAt(random.nextInt(4));
        Expr e = op == '/' ? positive(depth) : op == '*' && chance(60) ? bounded(depth - 1) : expr(depth);
        out.add(new Compound(pick(targets), op, e));
      } else if (k < 50) {
        String name = fresh("a");
        if (chance(50)) {
          int length = chance(40) && arrayLength > 0 ? arrayLength : 1 + random.nextInt(4);
          out.add(new DeclArr(name, length));
          arrays().add(new ArrayVar(name, length, true, false));
        } else {
          int length = chance(40) && arrayLength > 0 ? arrayLength : 1 + random.nextInt(3);
          List<Expr> init = new ArrayList<>();
          for (int i = 0; i < length; i++) {
            init.add(expr(depth - 1));
          }
          out.add(new DeclArrInit(name, init));
          arrays().add(new ArrayVar(name, length, true, false));
        }
      } else if (k < 58) {
        List<ArrayVar> writable = new ArrayList<>();
        for (ArrayVar a : allArrays()) {
          if (a.writable()) {
            writable.add(a);
          }
        }
        if (writable.isEmpty()) {
          statement(out, nesting);
          return;
        }
        ArrayVar a = pick(writable);
        char op = "==+-*/".charAt(random.nextInt(6));
        Expr e = op == '/' ? positive(depth) : expr(depth);
        out.add(new ArrAssign(a.name(), index(a.length()), op, e));
      } else if (k < 62) {
        List<Method> vectors = new ArrayList<>();
        for (Method m : callable) {
          if (m.vector() && argumentsAvailable(m) && !StaticState.reads(m)) {
            vectors.add(m);
          }
        }
        if (vectors.isEmpty()) {
          statement(out, nesting);
          return;
        }
        Method m = pick(vectors);
        String name = fresh("a");
        out.add(new DeclArrCall(name, new Invoke(m.name(), arguments(m, depth)), m.vectorLength()));
        arrays().add(new ArrayVar(name, m.vectorLength(), chance(50), false));
      } else if (k < 72 && compound) {
        Cond c = cond(1);
        List<Stmt> then = nested(1 + random.nextInt(3), nesting);
        List<Stmt> els = chance(40) ? nested(1 + random.nextInt(2), nesting) : List.of();
        out.add(new If(c, then, els));
      } else if (k < 81 && loop) {
        forLoop(out, nesting);
      } else if (k < 84 && loop && !allArrays().isEmpty() && !AVOID.contains("forEach")) {
        ArrayVar a = pick(allArrays());
        String label = chance(15) ? fresh("L") : null;
        String var = fresh("e");
        enterLoop(label);
        push();
        scopes.peek().readOnly.add(var);
        List<Stmt> body = block(1 + random.nextInt(3), nesting + 1);
        pop();
        exitLoop();
        out.add(new ForEach(label, var, a.name(), body));
      } else if (k < 90 && loop) {
        whileLoop(out, nesting);
      } else if (k < 96 && !loops.isEmpty()) {
        List<Stmt> then = new ArrayList<>();
        push();
        if (chance(30)) {
          statement(then, nesting + 3);
        }
        pop();
        List<String> labels = new ArrayList<>();
        for (String l : loops) {
          if (!l.isEmpty()) {
            labels.add(l);
          }
        }
        String label = !labels.isEmpty() && chance(50) ? pick(labels) : null;
        boolean breaks = chance(50);
        if (breaks && label == null && breakTargets.peek() == Boolean.TRUE) {
          breaks = false; // an unlabelled break would leave the switch: continue the loop instead
        }
        then.add(breaks ? new Break(label) : new Continue(label));
        out.add(new If(cond(1), then, List.of()));
      } else if (k < 100 && !AVOID.contains("earlyReturn") && outLength == 0) {
        out.add(new If(cond(1), List.of(returnStatement(2)), List.of()));
      } else if (AVOID.contains("loopDecl") && !loops.isEmpty()) {
        out.add(new Assign(pick(assignTargets()), expr(depth)));
      } else {
        String name = fresh("d");
        out.add(new DeclD(name, expr(depth), false));
        assignable().add(name);
      }
    }

    void enterLoop(String label) {
      loops.push(label == null ? "" : label);
      loopScopes.push(scopes.size());
      breakTargets.push(false);
    }

    void exitLoop() {
      loops.pop();
      loopScopes.pop();
      breakTargets.pop();
    }

    private void forLoop(List<Stmt> out, int nesting) {
      String label = chance(15) ? fresh("L") : null;
      String var = fresh("i");
      int from = chance(75) ? 0 : 1;
      int to = from + 1 + random.nextInt(4);
      String lengthOf = null;
      List<ArrayVar> arrays = allArrays();
      if (from == 0 && !arrays.isEmpty() && chance(30)) {
        ArrayVar a = pick(arrays);
        lengthOf = a.name();
        to = a.length();
      }
      boolean down = chance(25);
      enterLoop(label);
      push();
      scopes.peek().ints.add(new IntVar(var, from, to - 1));
      List<Stmt> body = block(1 + random.nextInt(3), nesting + 1);
      pop();
      exitLoop();
      out.add(new For(label, var, from, to, lengthOf, down, body));
    }

    private void whileLoop(List<Stmt> out, int nesting) {
      String label = chance(15) ? fresh("L") : null;
      String guard = fresh("g");
      int max = 2 + random.nextInt(5);
      List<String> targets = assignTargets();
      Cond c;
      String driven = null;
      if (!targets.isEmpty() && chance(60)) {
        driven = pick(targets);
        c = new Cmp(chance(50) ? ">" : "<", new Var(driven), new Lit(literal()));
      } else {
        c = cond(1);
      }
      enterLoop(label);
      push();
      // the guard is declared before the loop, but it is read only inside it (after guard++: 1..max)
      scopes.peek().ints.add(new IntVar(guard, 1, max));
      List<Stmt> body = new ArrayList<>();
      if (driven != null && chance(70)) {
        double factor = pick(List.of(0.7, 0.5, 1.3, 0.9));
        body.add(chance(50) ? new Compound(driven, '*', new Lit(factor))
            : new Assign(driven, new Bin('+', new Bin('*', new Var(driven), new Lit(factor)), expr(1))));
      }
      body.addAll(block(1 + random.nextInt(2), nesting + 1));
      pop();
      exitLoop();
      out.add(new While(label, guard, max, c, chance(25), body));
    }

    Stmt returnStatement(int depth) {
      if (vectorLength > 0) {
        List<ArrayVar> candidates = arraysOfLength(vectorLength);
        candidates.removeIf(a -> !a.writable());
        if (!candidates.isEmpty() && chance(40)) {
          return new ReturnArray(List.of(), pick(candidates).name());
        }
        List<Expr> elements = new ArrayList<>();
        for (int i = 0; i < vectorLength; i++) {
          elements.add(expr(depth));
        }
        return new ReturnArray(elements, null);
      }
      return new Return(expr(depth));
    }

    /** The final return: a few live variables combined with a random expression, so that most locals matter. */
    Stmt finalReturn() {
      if (vectorLength > 0) {
        return returnStatement(2);
      }
      Expr result = !matrices().isEmpty() && chance(60) ? matrixScalar(2) : expr(2);
      List<String> doubles = doubles();
      int terms = Math.min(doubles.size(), random.nextInt(4));
      for (int t = 0; t < terms; t++) {
        Expr term = new Var(doubles.get(doubles.size() - 1 - random.nextInt(Math.min(doubles.size(), 4))));
        result = new Bin(chance(70) ? '+' : chance(50) ? '-' : '*', result, term);
      }
      return new Return(result);
    }
  }
}
