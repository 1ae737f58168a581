package dev.adjoint.processor.random;

import dev.adjoint.Derivative;
import java.util.List;
import java.util.Set;

/**
 * The abstract syntax of the random programs: a small, well-typed subset of Java that both the
 * {@link Printer} (Java source for the processor) and the {@link Interpreter} (the oracle) read.
 * Nothing here is shared with the processor.
 *
 * <p>Names are unique inside a method, so scopes never shadow and a flat variable map suffices in
 * the interpreter.
 */
final class Ast {
  private Ast() {}

  // ---------------------------------------------------------------- double-valued expressions

  /** A double-valued expression (or, for {@link ArrayRef}, an array passed to a helper). */
  sealed interface Expr
      permits Lit, Var, IntAsDouble, ArrayRead, ArrayRef, Neg, Bin, Fn1, Fn2, Ternary, Invoke, MReduce, MDot, MGet,
          Opaque, Const, TableRead, SwitchExpr {}

  record Lit(double value) implements Expr {}

  /** A double local or a double parameter. */
  record Var(String name) implements Expr {}

  /** {@code (double) e}: an int expression read as a double. */
  record IntAsDouble(IntExpr e) implements Expr {}

  record ArrayRead(String array, IntExpr index) implements Expr {}

  /** A whole array as an argument of a helper call; never a value on its own. */
  record ArrayRef(String array) implements Expr {}

  record Neg(Expr e) implements Expr {}

  /** {@code l op r} with op one of + - * /. */
  record Bin(char op, Expr l, Expr r) implements Expr {}

  /** {@code Math.fn(a)}. */
  record Fn1(String fn, Expr a) implements Expr {}

  /** {@code Math.fn(a, b)}: atan2, pow, hypot, max, min. */
  record Fn2(String fn, Expr a, Expr b) implements Expr {}

  record Ternary(Cond c, Expr a, Expr b) implements Expr {}

  /** A call of a scalar-valued helper of the same program. */
  record Invoke(String method, List<Expr> args) implements Expr {}

  /** {@code a.fn()} for fn one of sum, mean, squaredNorm, trace: a scalar from a matrix. */
  record MReduce(String fn, MExpr a) implements Expr {}

  /** {@code a.dot(b)}. */
  record MDot(MExpr a, MExpr b) implements Expr {}

  /** {@code a.get(row, col)}. */
  record MGet(MExpr a, int row, int col) implements Expr {}

  /**
   * A call of one of the program class's plain static helpers ({@link StaticState.Helper}: no rule, not
   * differentiable, with side effects); its arguments never depend on the differentiated parameters: an {@link
   * ArrayRef} to a buffer array first for {@code fill}, then double expressions of literals, ints, constants, table
   * reads, buffer reads and other such calls.
   */
  record Opaque(StaticState.Helper helper, List<Expr> args) implements Expr {}

  /** {@code Cn}: a {@code private static final double} constant of the program class. */
  record Const(int index) implements Expr {}

  /** {@code TABLE[index]}: an element of the program class's {@code static final double[]}, which helpers write. */
  record TableRead(IntExpr index) implements Expr {}

  /**
   * {@code switch (selector) { case 0 -> values[0]; case 1, 2 -> values[1]; ... default -> last }}: {@code labels}
   * has one list per case but the last, which is {@code default}.
   */
  record SwitchExpr(IntExpr selector, List<List<Integer>> labels, List<Expr> values) implements Expr {}

  // ---------------------------------------------------------------- Matrix-valued expressions

  /** An expression of type {@code dev.adjoint.runtime.Matrix}; its shape follows from the names' shapes. */
  sealed interface MExpr permits MVar, MFilled, MTimes, MTranspose, MBin, MScale, MPlusScalar, MMap {}

  record MVar(String name) implements MExpr {}

  /** {@code Matrix.filled(rows, cols, value)}. */
  record MFilled(int rows, int cols, double value) implements MExpr {}

  /** {@code a.times(b)}. */
  record MTimes(MExpr a, MExpr b) implements MExpr {}

  /** {@code a.transpose()}. */
  record MTranspose(MExpr a) implements MExpr {}

  /** {@code a.op(b)} for op one of plus, minus, multiply (elementwise). */
  record MBin(String op, MExpr a, MExpr b) implements MExpr {}

  /** {@code a.scale(factor)}. */
  record MScale(MExpr a, Expr factor) implements MExpr {}

  /** {@code a.plusScalar(offset)}. */
  record MPlusScalar(MExpr a, Expr offset) implements MExpr {}

  /** {@code a.fn()} for fn one of tanh, sigmoid, exp, square (elementwise). */
  record MMap(String fn, MExpr a) implements MExpr {}

  // ---------------------------------------------------------------- int expressions (exact)

  sealed interface IntExpr permits ILit, IVar, IAdd, IRev, IMod, ILength {}

  record ILit(int value) implements IntExpr {}

  record IVar(String name) implements IntExpr {}

  /** {@code e + c} (printed {@code e - |c|} when c is negative). */
  record IAdd(IntExpr e, int c) implements IntExpr {}

  /** {@code c - e}. */
  record IRev(int c, IntExpr e) implements IntExpr {}

  /** {@code e % n} with e non-negative and n positive. */
  record IMod(IntExpr e, int n) implements IntExpr {}

  /** {@code a.length}. */
  record ILength(String array) implements IntExpr {}

  // ---------------------------------------------------------------- conditions

  sealed interface Cond permits Cmp, ICmp, And, Or, Not {}

  /** A comparison of doubles: < <= > >=. */
  record Cmp(String op, Expr l, Expr r) implements Cond {}

  /** A comparison of ints: < <= > >= == !=. */
  record ICmp(String op, IntExpr l, IntExpr r) implements Cond {}

  record And(Cond l, Cond r) implements Cond {}

  record Or(Cond l, Cond r) implements Cond {}

  record Not(Cond c) implements Cond {}

  // ---------------------------------------------------------------- statements

  sealed interface Stmt
      permits DeclD, Assign, Compound, DeclArr, DeclArrInit, DeclArrCall, ArrAssign, If, For, ForEach, While, Break,
          Continue, Return, ReturnArray, DeclM, AssignM, CallVoid, Switch {}

  /** {@code helper(out, args...);}: a call of a void helper that writes into its first argument, an array. */
  record CallVoid(Invoke call) implements Stmt {}

  /**
   * A switch statement over an int, in arrow form ({@code case 1, 2 -> { body }}) or colon form ({@code case 1: case
   * 2: body}, falling through into the next case unless {@link Case#breaks}). Case bodies hold no unlabelled break
   * (which would leave the switch, not a loop).
   */
  record Switch(IntExpr selector, List<Case> cases, boolean arrow) implements Stmt {}

  /** One case of a {@link Switch}: its labels (none: {@code default}), its body, and whether it ends with break. */
  record Case(List<Integer> labels, List<Stmt> body, boolean breaks) {}

  /** {@code Matrix name = init;}. */
  record DeclM(String name, MExpr init) implements Stmt {}

  /** {@code name = e;} for a Matrix local of the same shape. */
  record AssignM(String name, MExpr e) implements Stmt {}

  /** {@code double name = init;} or, with {@code useVar}, {@code var name = init;}. */
  record DeclD(String name, Expr init, boolean useVar) implements Stmt {}

  record Assign(String name, Expr e) implements Stmt {}

  /** {@code name op= e} with op one of + - * /. */
  record Compound(String name, char op, Expr e) implements Stmt {}

  /** {@code double[] name = new double[length];}. */
  record DeclArr(String name, int length) implements Stmt {}

  /** {@code double[] name = {e1, e2, ...};}. */
  record DeclArrInit(String name, List<Expr> init) implements Stmt {}

  /** {@code double[] name = helper(args);} for a vector-valued helper returning {@code length} elements. */
  record DeclArrCall(String name, Invoke call, int length) implements Stmt {}

  /** {@code name[index] op e} with op one of = + - * /. */
  record ArrAssign(String name, IntExpr index, char op, Expr e) implements Stmt {}

  /** {@code if (c) {then} else {els}}; no else when {@code els} is empty. */
  record If(Cond c, List<Stmt> then, List<Stmt> els) implements Stmt {}

  /**
   * {@code for (int var = from; var < to; var++)} or, when {@code down}, {@code for (int var = to - 1; var >=
   * from; var--)}; an optional label. When {@code lengthOf} names an array (of length {@code to}), {@code to} is
   * written {@code lengthOf.length}.
   */
  record For(String label, String var, int from, int to, String lengthOf, boolean down, List<Stmt> body)
      implements Stmt {
    String bound() {
      return lengthOf == null ? Integer.toString(to) : lengthOf + ".length";
    }

    String last() {
      return lengthOf == null ? Integer.toString(to - 1) : lengthOf + ".length - 1";
    }
  }

  /** {@code for (double var : array)}. */
  record ForEach(String label, String var, String array, List<Stmt> body) implements Stmt {}

  /**
   * {@code int guard = 0; while (c && guard < max) { guard++; body }}, or as a do-while: {@code int guard = 0; do {
   * guard++; body } while (c && guard < max);}.
   */
  record While(String label, String guard, int max, Cond c, boolean doWhile, List<Stmt> body) implements Stmt {}

  /** {@code break;} or {@code break label;}. */
  record Break(String label) implements Stmt {}

  record Continue(String label) implements Stmt {}

  record Return(Expr e) implements Stmt {}

  /** In a vector-valued method: {@code return new double[] {e1, ...};} or {@code return array;}. */
  record ReturnArray(List<Expr> elements, String array) implements Stmt {}

  // ---------------------------------------------------------------- methods and programs

  /** A {@code double}, a {@code double[]} ({@code array}) or, with {@code rows > 0}, a {@code Matrix} of that shape. */
  record Param(String name, boolean array, int rows, int cols) {
    Param(String name, boolean array) {
      this(name, array, 0, 0);
    }

    boolean matrix() {
      return rows > 0;
    }

    boolean scalar() {
      return !array && !matrix();
    }
  }

  /**
   * A {@code @Differentiable static} method; {@code vectorLength > 0} for a helper returning {@code double[]} of that
   * length. A helper may be without annotation ({@code annotated} false: Adjoint differentiates it for its callers),
   * then perhaps {@code private}, or void with an out-parameter ({@code outLength > 0}).
   */
  record Method(String name, List<Param> params, int vectorLength, List<Stmt> body, boolean annotated,
      boolean isPrivate, int outLength) {
    Method(String name, List<Param> params, int vectorLength, List<Stmt> body) {
      this(name, params, vectorLength, body, true, false, 0);
    }

    boolean vector() {
      return vectorLength > 0;
    }

    /** A void helper writing into its first parameter, an array of {@code outLength} elements. */
    boolean isVoid() {
      return outLength > 0;
    }

    Method withBody(List<Stmt> newBody) {
      return new Method(name, params, vectorLength, newBody, annotated, isPrivate, outLength);
    }
  }

  /**
   * The static members of a program class besides its methods, null where it has none: {@code static final double
   * C0, C1, ...} ({@code constants}, {@code private} unless {@code packageConstants}), {@code static final double[]
   * TABLE} ({@code table}, its initial values), and the state of the opaque helpers, whose pseudo-random ones start
   * from {@code seed} ({@link StaticState}).
   */
  record Statics(List<Double> constants, boolean packageConstants, List<Double> table, long seed) {
    Statics {
      constants = List.copyOf(constants);
      table = List.copyOf(table);
    }
  }

  /**
   * One random program: helpers (each may call earlier ones) and the method under test, {@code f}, in a class of its
   * own, or with {@code nested} in its nested {@code static class Inner} (companion {@code <className>_InnerGrad}).
   * Every {@code double[]} parameter has length {@code arrayLength}. {@code also} holds the derivatives besides the
   * gradient the program asks for where the processor generates them ({@link Also#of}); {@code statics} the class's
   * static state, or null.
   */
  record Program(String className, List<Method> helpers, Method main, int arrayLength, Set<Derivative> also,
      Statics statics, boolean nested) {
    Program(String className, List<Method> helpers, Method main, int arrayLength) {
      this(className, helpers, main, arrayLength, Also.ALL, null, false);
    }

    Program {
      also = Set.copyOf(also);
    }

    static final String NESTED = "Inner";

    /** The binary name of the class the methods are in. */
    String methodsClass() {
      return nested ? className + "$" + NESTED : className;
    }

    /** The simple name of the generated companion. */
    String companion() {
      return (nested ? className + "_" + NESTED : className) + "Grad";
    }

    Method method(String name) {
      if (main.name().equals(name)) {
        return main;
      }
      for (Method helper : helpers) {
        if (helper.name().equals(name)) {
          return helper;
        }
      }
      throw new IllegalArgumentException("no method " + name);
    }

    Program withClassName(String name) {
      return new Program(name, helpers, main, arrayLength, also, statics, nested);
    }

    Program withAlso(Set<Derivative> derivatives) {
      return new Program(className, helpers, main, arrayLength, derivatives, statics, nested);
    }

    Program withStatics(Statics newStatics, boolean inNested) {
      return new Program(className, helpers, main, arrayLength, also, newStatics, inNested);
    }

    /** The same program with other methods, asking for the same derivatives. */
    Program with(List<Method> newHelpers, Method newMain) {
      return new Program(className, newHelpers, newMain, arrayLength, also, statics, nested);
    }
  }
}
