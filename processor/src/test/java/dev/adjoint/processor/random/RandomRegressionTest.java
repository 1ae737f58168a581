package dev.adjoint.processor.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.Derivative;
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
import dev.adjoint.processor.random.Ast.Continue;
import dev.adjoint.processor.random.Ast.DeclArr;
import dev.adjoint.processor.random.Ast.DeclArrCall;
import dev.adjoint.processor.random.Ast.DeclArrInit;
import dev.adjoint.processor.random.Ast.DeclD;
import dev.adjoint.processor.random.Ast.Expr;
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
import dev.adjoint.processor.random.Ast.Invoke;
import dev.adjoint.processor.random.Ast.Lit;
import dev.adjoint.processor.random.Ast.Method;
import dev.adjoint.processor.random.Ast.Neg;
import dev.adjoint.processor.random.Ast.Param;
import dev.adjoint.processor.random.Ast.Program;
import dev.adjoint.processor.random.Ast.Return;
import dev.adjoint.processor.random.Ast.ReturnArray;
import dev.adjoint.processor.random.Ast.Stmt;
import dev.adjoint.processor.random.Ast.Ternary;
import dev.adjoint.processor.random.Ast.Var;
import dev.adjoint.processor.random.Ast.While;
import dev.adjoint.processor.random.Ast.CallVoid;
import dev.adjoint.processor.random.Ast.Case;
import dev.adjoint.processor.random.Ast.Switch;
import dev.adjoint.processor.random.Ast.SwitchExpr;
import dev.adjoint.processor.random.Checker.Kind;
import dev.adjoint.processor.random.Checker.Outcome;
import dev.adjoint.runtime.Dual;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A handful of hand-picked programs in the random programs' AST, each exercising one group of features, checked
 * against the forward-mode oracle at fixed-seed points; and the machinery itself: the generator is deterministic,
 * its programs are valid, the interpreter matches the compiled original, the shrinker keeps programs valid.
 */
class RandomRegressionTest {
  private static final int POINTS = 8;
  private static Batch.Result compiled;
  private static final Map<String, Program> PROGRAMS = new TreeMap<>();

  // ---------------------------------------------------------------- a tiny builder for the AST

  private static Expr v(String name) {
    return new Var(name);
  }

  private static Expr c(double value) {
    return new Lit(value);
  }

  private static Expr bin(char op, Expr l, Expr r) {
    return new Bin(op, l, r);
  }

  private static Expr fn(String name, Expr a) {
    return new Fn1(name, a);
  }

  private static Expr fn(String name, Expr a, Expr b) {
    return new Fn2(name, a, b);
  }

  private static Expr at(String array, Ast.IntExpr index) {
    return new ArrayRead(array, index);
  }

  private static Ast.IntExpr i(String name) {
    return new IVar(name);
  }

  private static Cond cmp(String op, Expr l, Expr r) {
    return new Cmp(op, l, r);
  }

  private static List<Stmt> body(Stmt... statements) {
    return List.of(statements);
  }

  private static Param scalar(String name) {
    return new Param(name, false);
  }

  private static Param array(String name) {
    return new Param(name, true);
  }

  private static void program(String name, int arrayLength, List<Method> helpers, List<Param> params,
      Stmt... statements) {
    PROGRAMS.put(name, new Program(name, helpers, new Method("f", params, 0, List.of(statements)), arrayLength));
  }

  static {
    // loops with break and continue accumulating into an outer variable
    program("Accumulate", 0, List.of(), List.of(scalar("x"), scalar("y")),
        new DeclD("s", c(0.0), false),
        new For(null, "i", 0, 5, null, false, body(
            new If(new ICmp("==", new IMod(i("i"), 2), new ILit(1)), body(new Continue(null)), List.of()),
            new Compound("s", '+', bin('*', fn("sin", bin('*', v("x"), new IntAsDouble(i("i")))), v("y"))),
            new If(cmp(">", v("s"), c(1.5)), body(new Break(null)), List.of()))),
        new Return(bin('+', v("s"), bin('*', v("x"), v("y")))));

    // a data-dependent while loop bounded by a guard, and a do-while
    program("Guarded", 0, List.of(), List.of(scalar("x"), scalar("y")),
        new DeclD("v", bin('+', c(1.0), bin('*', v("x"), v("x"))), false),
        new While(null, "g", 5, cmp(">", v("v"), c(0.5)), false, body(
            new Assign("v", bin('+', bin('*', v("v"), c(0.7)), bin('*', c(0.1), fn("tanh", v("y"))))))),
        new While(null, "h", 3, cmp("<", v("y"), c(10.0)), true, body(
            new Compound("y", '*', fn("cos", v("v"))),
            new Compound("v", '/', bin('+', c(2.0), fn("sin", v("y")))))),
        new Return(bin('*', v("v"), fn("exp", fn("sin", v("y"))))));

    // a parameter array: enhanced for, w.length loop counting down, local arrays with element writes
    program("Arrays", 4, List.of(), List.of(array("w"), scalar("x")),
        new DeclArr("a", 4),
        new For(null, "i", 0, 4, "w", true, body(
            new ArrAssign("a", new IRev(3, i("i")), '=', bin('*', at("w", i("i")), v("x"))),
            new ArrAssign("a", i("i"), '+', fn("hypot", at("w", new IMod(new IAdd(i("i"), 1), 4)), c(1.0))))),
        new DeclArrInit("b", List.of(v("x"), fn("atan", at("a", new ILit(2))))),
        new ArrAssign("b", new ILit(1), '*', at("a", new ILit(0))),
        new DeclD("s", c(0.0), true),
        new ForEach(null, "e", "a", body(new Compound("s", '+', bin('*', v("e"), v("e"))))),
        new Return(bin('+', v("s"), bin('/', at("b", new ILit(1)), bin('+', c(1.0), bin('*', v("x"), v("x")))))));

    // scalar and vector-valued helpers, called in a loop and with an array argument
    Method square = new Method("h0", List.of(scalar("u"), array("c")), 0, List.of(
        new DeclD("t", c(0.0), false),
        new For(null, "k", 0, 3, "c", false, body(new Compound("t", '+', bin('*', at("c", i("k")), v("u"))))),
        new Return(bin('*', v("t"), v("t")))));
    Method polar = new Method("h1", List.of(scalar("r"), scalar("a")), 2, List.of(
        new ReturnArray(List.of(bin('*', v("r"), fn("cos", v("a"))), bin('*', v("r"), fn("sin", v("a")))), null)));
    program("Helpers", 3, List.of(square, polar), List.of(scalar("x"), array("w")),
        new DeclArrCall("p", new Invoke("h1", List.of(v("x"), at("w", new ILit(0)))), 2),
        new DeclD("s", c(0.0), false),
        new For(null, "i", 0, 2, null, false, body(
            new Compound("s", '+', new Invoke("h0", List.of(at("p", i("i")), new ArrayRef("w")))))),
        new Return(bin('+', v("s"), fn("log", bin('+', c(1.0), bin('*', v("x"), v("x")))))));

    // early returns, ternaries and the non-smooth functions away from their kinks
    program("Branches", 0, List.of(), List.of(scalar("x"), scalar("y"), scalar("z")),
        new DeclD("m", fn("max", bin('*', v("x"), v("y")), fn("min", v("z"), c(0.5))), false),
        new If(cmp(">", fn("abs", v("m")), c(1.8)), body(new Return(bin('*', v("m"), fn("atan2", v("y"), v("x"))))),
            List.of()),
        new DeclD("t", new Ternary(new And(cmp("<", v("x"), v("y")), cmp(">=", v("z"), c(-1.0))),
            fn("pow", bin('+', c(1.0), bin('*', v("y"), v("y"))), fn("tanh", v("z"))), new Neg(fn("cbrt", v("z")))),
            false),
        new If(cmp("<", v("t"), c(0.0)), body(new Assign("t", fn("abs", v("t")))),
            body(new Compound("t", '-', fn("asin", bin('*', c(0.9), fn("tanh", v("x"))))))),
        new Return(bin('+', v("t"), fn("hypot", v("m"), v("z")))));

    // labelled nested loops: continue outer, break outer
    program("Labelled", 0, List.of(), List.of(scalar("x"), scalar("y")),
        new DeclD("s", c(0.0), false),
        new For("outer", "i", 0, 4, null, false, body(
            new For(null, "j", 0, 4, null, false, body(
                new If(new ICmp(">", i("j"), i("i")), body(new Continue("outer")), List.of()),
                new Compound("s", '+', bin('*', fn("cos", bin('*', v("x"), new IntAsDouble(i("j")))), v("y"))),
                new If(cmp(">", v("s"), c(3.0)), body(new Break("outer")), List.of()))))),
        new Return(v("s")));
  }

  static {
    // helpers without @Differentiable: a private scalar one, and a void one filling an out array that it reads first
    Method plain = new Method("h0", List.of(scalar("u"), scalar("v")), 0, List.of(
        new Return(bin('*', fn("sin", v("u")), v("v")))), false, true, 0);
    Method fill = new Method("h1", List.of(array("out"), scalar("u"), array("c")), 0, List.of(
        new For(null, "k", 0, 2, null, false, body(
            new ArrAssign("out", i("k"), '+', bin('*', v("u"), at("c", i("k")))))),
        new ArrAssign("out", new ILit(1), '*', new Invoke("h0", List.of(v("u"), at("out", new ILit(0)))))),
        false, false, 2);
    program("VoidHelpers", 2, List.of(plain, fill), List.of(scalar("x"), array("w")),
        new DeclArrInit("a", List.of(v("x"), c(1.0))),
        new For(null, "i", 0, 2, null, false, body(
            new CallVoid(new Invoke("h1", List.of(new ArrayRef("a"), bin('*', v("x"), at("w", i("i"))),
                new ArrayRef("w")))))),
        // the out array also as the input c: one array, read after the writes as in Java
        new CallVoid(new Invoke("h1", List.of(new ArrayRef("a"), v("x"), new ArrayRef("a")))),
        new Return(bin('+', at("a", new ILit(0)), bin('*', at("a", new ILit(1)), new Invoke("h0",
            List.of(v("x"), at("w", new ILit(1))))))));

    // switch statements in colon form (falling through) and arrow form, and a switch expression
    program("Switches", 0, List.of(), List.of(scalar("x"), scalar("y")),
        new DeclD("s", c(0.0), false),
        new For(null, "i", 0, 5, null, false, body(
            new Switch(i("i"), List.of(
                new Case(List.of(0), body(new Compound("s", '+', v("x"))), false),
                new Case(List.of(1, 3), body(new Compound("s", '*', fn("cos", v("y")))), true),
                new Case(List.of(), body(new Compound("s", '-', bin('*', v("x"), v("y")))), false),
                new Case(List.of(2), body(new If(cmp(">", v("s"), c(5.0)), body(new Continue(null)), List.of()),
                    new Compound("s", '+', fn("sin", v("s")))), true)), false),
            new Switch(new IMod(i("i"), 2), List.of(
                new Case(List.of(0), body(new Compound("s", '+', c(0.5))), true),
                new Case(List.of(), body(new Compound("s", '*', c(1.5))), true)), true))),
        new DeclD("t", new SwitchExpr(new ILit(2), List.of(List.of(1), List.of(2, 3)),
            List.of(v("x"), bin('*', v("s"), v("y")), c(1.0))), false),
        new Return(bin('+', v("s"), v("t"))));
  }

  @BeforeAll
  static void compileAll() {
    compiled = Batch.compile(new ArrayList<>(PROGRAMS.values()));
    assertEquals(Map.of(), compiled.problems(), "the hand-picked programs compile cleanly");
  }

  /**
   * Checks a hand-picked program at {@link #POINTS} points: never wrong, and checked (gradient, and TANGENT and HESSIAN
   * where its methods ask for them) at half of them at least.
   */
  private static void check(String name) {
    Program program = PROGRAMS.get(name);
    SplittableRandom random = new SplittableRandom(name.hashCode());
    Set<Derivative> asked = Also.asked(program);
    int ok = 0;
    Map<Derivative, Integer> checked = new EnumMap<>(Derivative.class);
    for (int p = 0; p < POINTS; p++) {
      Outcome outcome = Checker.checkProgram(program, compiled.loader(), random, 1);
      assertTrue(outcome.kind() != Kind.WRONG, () -> outcome.category() + " at " + Checker.format(outcome.point())
          + "\n" + outcome.detail() + "\n" + Printer.source(program));
      if (outcome.kind() == Kind.OK) {
        ok++;
        asked.stream().filter(outcome::checked).forEach(d -> checked.merge(d, 1, Integer::sum));
      }
    }
    assertTrue(ok >= POINTS / 2, name + ": only " + ok + " of " + POINTS + " points checked");
    for (Derivative d : asked) {
      assertTrue(checked.getOrDefault(d, 0) >= POINTS / 2, name + ": " + d + " checked at " + checked.get(d));
    }
  }

  @Test
  void accumulatingLoopWithBreakAndContinue() {
    check("Accumulate");
  }

  @Test
  void guardedWhileAndDoWhile() {
    check("Guarded");
  }

  @Test
  void parameterAndLocalArrays() {
    check("Arrays");
  }

  @Test
  void scalarAndVectorHelpers() {
    check("Helpers");
  }

  @Test
  void earlyReturnsTernariesAndKinks() {
    check("Branches");
  }

  @Test
  void labelledBreakAndContinue() {
    check("Labelled");
  }

  @Test
  void helpersWithoutAnnotationAndVoidHelpersWithOutArrays() {
    check("VoidHelpers");
  }

  @Test
  void switchStatementsAndExpressions() {
    check("Switches");
  }

  @Test
  void interpreterRunsSwitchesAndVoidHelpersAsJavaDoes() throws ReflectiveOperationException {
    // the oracle's value against the compiled original method, at one point
    for (String name : List.of("VoidHelpers", "Switches")) {
      Program program = PROGRAMS.get(name);
      List<Object> point = name.equals("Switches") ? List.of(0.3, 1.2) : List.of(0.3, new double[] {0.7, -0.4});
      double expected = Checker.oracle(program, point).values()[0];
      Class<?> owner = compiled.loader().loadClass(Printer.PACKAGE + "." + name);
      java.lang.reflect.Method f = java.util.Arrays.stream(owner.getDeclaredMethods())
          .filter(m -> m.getName().equals("f")).findFirst().orElseThrow();
      f.setAccessible(true);
      assertEquals((double) f.invoke(null, point.toArray()), expected, 1e-12, name);
    }
  }

  // ---------------------------------------------------------------- the machinery

  @Test
  void generatorIsDeterministicAndItsProgramsAreValid() {
    for (int n = 0; n < 200; n++) {
      Program a = new Generator(new SplittableRandom(n)).program("G" + n, 1 + n % 5);
      Program b = new Generator(new SplittableRandom(n)).program("G" + n, 1 + n % 5);
      assertEquals(Printer.source(a), Printer.source(b));
      assertTrue(Validator.valid(a), () -> "invalid (" + Validator.problem(a) + "):\n" + Printer.source(a));
    }
  }

  /**
   * Whether a program has (1 or 0 each): a helper without annotation, a call of a void helper, a switch statement, a
   * switch expression.
   */
  static int[] issue12Constructs(Program program) {
    String text = program.helpers().toString() + program.main();
    return new int[] {program.helpers().stream().anyMatch(h -> !h.annotated()) ? 1 : 0,
        text.contains("CallVoid[") ? 1 : 0, text.contains("Switch[") ? 1 : 0, text.contains("SwitchExpr[") ? 1 : 0};
  }

  @Test
  void generatorProducesHelpersWithoutAnnotationVoidHelpersAndSwitches() {
    int[] counts = new int[4];
    int privateHelpers = 0;
    int colonForm = 0;
    for (int n = 0; n < 300; n++) {
      Program program = new Generator(new SplittableRandom(1000 + n)).program("G" + n, 1 + n % 5);
      int[] constructs = issue12Constructs(program);
      for (int k = 0; k < counts.length; k++) {
        counts[k] += constructs[k];
      }
      privateHelpers += Printer.source(program).contains("private static double") ? 1 : 0;
      colonForm += Printer.source(program).matches("(?s).*case \\d+:.*") ? 1 : 0;
    }
    String summary = java.util.Arrays.toString(counts) + ", private helpers " + privateHelpers + ", colon form "
        + colonForm;
    System.out.println("of 300 generated programs: with helpers without annotation, calling void helpers, with switch"
        + " statements, with switch expressions: " + summary);
    for (int count : counts) {
      assertTrue(count >= 15, summary);
    }
    assertTrue(privateHelpers >= 15 && colonForm >= 15, summary);
  }

  @Test
  void interpreterAgreesWithClosedForms() {
    // f(x, y) = sin(x) * y + max(x, y): the oracle's value and gradient against the closed form
    Program program = new Program("I", List.of(), new Method("f", List.of(scalar("x"), scalar("y")), 0, List.of(
        new Return(bin('+', bin('*', fn("sin", v("x")), v("y")), fn("max", v("x"), v("y")))))), 0);
    Checker.Expected e = Checker.oracle(program, List.of(0.3, 1.2));
    assertEquals(Math.sin(0.3) * 1.2 + 1.2, e.values()[0], 0.0);
    assertEquals(Math.cos(0.3) * 1.2, e.jacobian()[0][0], 1e-15);
    assertEquals(Math.sin(0.3) + 1, e.jacobian()[0][1], 1e-15);
    // a tie of max gives half to each side, abs at 0 gives 0, as the README documents
    Checker.Expected tie = Checker.oracle(program, List.of(0.0, 0.0));
    assertEquals(0.5, tie.jacobian()[0][0], 1e-15);
    assertEquals(0.5, tie.jacobian()[0][1], 1e-15);
  }

  @Test
  void secondOrderAndDirectionalOracleAgreeWithClosedForms() {
    // f(x, y) = sin(x) * y + max(x, y) at (0.3, 1.2): y wins the max
    Program program = new Program("I", List.of(), new Method("f", List.of(scalar("x"), scalar("y")), 0, List.of(
        new Return(bin('+', bin('*', fn("sin", v("x")), v("y")), fn("max", v("x"), v("y")))))), 0);
    Checker.Expected e = Checker.oracle(program, List.of(0.3, 1.2), 2);
    assertEquals(Math.cos(0.3) * 1.2, e.jacobian()[0][0], 1e-15);
    assertEquals(-Math.sin(0.3) * 1.2, e.hessian()[0][0], 1e-15);
    assertEquals(Math.cos(0.3), e.hessian()[0][1], 1e-15);
    assertEquals(Math.cos(0.3), e.hessian()[1][0], 1e-15);
    assertEquals(0.0, e.hessian()[1][1], 0.0);
    assertEquals(Math.cos(0.3) * 1.2 * 0.5 + (Math.sin(0.3) + 1) * -2,
        Checker.directional(program, List.of(0.3, 1.2), new double[] {0.5, -2}), 1e-15);
    // the first-order oracle has no Hessian
    assertEquals(null, Checker.oracle(program, List.of(0.3, 1.2)).hessian());
  }

  // hand-written forward-mode and Hessian code for f(x, y) = x² y, right and wrong, for the checker's own test

  static Dual rightTangent(double x, double y, double dx, double dy) {
    return new Dual(x * x * y, 2 * x * y * dx + x * x * dy);
  }

  static Dual tangentWithWrongValue(double x, double y, double dx, double dy) {
    return new Dual(x * x * y * (1 + 1e-11), 2 * x * y * dx + x * x * dy);
  }

  static Dual tangentSlightlyOff(double x, double y, double dx, double dy) {
    return new Dual(x * x * y, (2 * x * y * dx + x * x * dy) * (1 + 1e-6));
  }

  static double[] rightHessianVector(double x, double y, double vx, double vy) {
    return new double[] {2 * y * vx + 2 * x * vy, 2 * x * vx};
  }

  static double[] hessianVectorSlightlyOff(double x, double y, double vx, double vy) {
    return new double[] {2 * y * vx + 2 * x * vy, 2 * x * vx * (1 + 1e-6)};
  }

  static double[][] rightHessian(double x, double y) {
    return new double[][] {{2 * y, 2 * x}, {2 * x, 0}};
  }

  static double[][] hessianSlightlyOff(double x, double y) {
    return new double[][] {{2 * y, 2 * x}, {2 * x * (1 + 1e-6), 0}};
  }

  private static java.lang.reflect.Method fake(String name, Class<?>... types) throws NoSuchMethodException {
    return RandomRegressionTest.class.getDeclaredMethod(name, types);
  }

  @Test
  void checkerCatchesWrongTangentsAndHessians() throws ReflectiveOperationException {
    Program program = new Program("Square", List.of(), new Method("f", List.of(scalar("x"), scalar("y")), 0, List.of(
        new Return(bin('*', bin('*', v("x"), v("x")), v("y"))))), 0);
    Batch.Result result = Batch.compile(List.of(program));
    assertEquals(Map.of(), result.problems());
    Checker.Loaded generated = new Checker.Loaded(program, result.loader());
    List<Object> point = List.of(0.7, -1.3);
    List<Object> other = List.of(0.2, 0.4);
    Class<?> d = double.class;
    var tangent = fake("rightTangent", d, d, d, d);
    var hessianVector = fake("rightHessianVector", d, d, d, d);
    var hessian = fake("rightHessian", d, d);

    // the generated code and the hand-written closed forms pass, with both derivatives checked
    for (Checker.Loaded loaded : List.of(generated, generated.replacing(tangent, hessianVector, hessian))) {
      Outcome outcome = Checker.check(loaded, point, other);
      assertEquals(Kind.OK, outcome.kind(), outcome::detail);
      assertEquals(Map.of(Derivative.TANGENT, "ok", Derivative.HESSIAN, "ok"), outcome.also());
    }
    // a value or derivative off by far less than any real bug, but far more than rounding, is wrong
    Map<String, Checker.Loaded> wrong = new TreeMap<>(Map.of(
        "tangent-value", generated.replacing(fake("tangentWithWrongValue", d, d, d, d), hessianVector, hessian),
        "tangent", generated.replacing(fake("tangentSlightlyOff", d, d, d, d), hessianVector, hessian),
        "hessian-vector", generated.replacing(tangent, fake("hessianVectorSlightlyOff", d, d, d, d), hessian),
        "hessian", generated.replacing(tangent, hessianVector, fake("hessianSlightlyOff", d, d))));
    wrong.forEach((category, loaded) -> {
      Outcome outcome = Checker.check(loaded, point, other);
      assertEquals(Kind.WRONG, outcome.kind(), category);
      assertEquals(category, outcome.category());
      assertEquals(category.startsWith("tangent") ? "tangent" : "hessian", outcome.mode());
    });
  }

  @Test
  void programsAskForWhatTheProcessorGenerates() {
    // h0 is vector-valued, h1 calls nothing, f calls both and takes a Matrix
    Method vector = new Method("h0", List.of(scalar("u")), 2, List.of(new ReturnArray(List.of(v("u"), v("u")), null)));
    Method plain = new Method("h1", List.of(scalar("u")), 0, List.of(new Return(fn("sin", v("u")))));
    Method calling = new Method("h2", List.of(scalar("u")), 0, List.of(
        new Return(new Invoke("h1", List.of(v("u"))))));
    Method usesVector = new Method("h3", List.of(scalar("u")), 0, List.of(
        new DeclArrCall("a", new Invoke("h0", List.of(v("u"))), 2), new Return(at("a", new ILit(0)))));
    Method matrix = new Method("f", List.of(scalar("x"), new Param("m", false, 2, 2)), 0, List.of(
        new Return(new Invoke("h1", List.of(v("x"))))));
    Program program = new Program("A", List.of(vector, plain, calling, usesVector), matrix, 0);
    Set<Derivative> both = EnumSet.of(Derivative.TANGENT, Derivative.HESSIAN);
    assertEquals(both, Also.of(program, vector));
    assertEquals(both, Also.of(program, plain));
    assertEquals(both, Also.of(program, calling));
    assertEquals(both, Also.of(program, usesVector));
    assertEquals(Set.of(Derivative.TANGENT), Also.of(program, matrix)); // no Hessian over a Matrix (ADJ114)
    assertEquals(Set.of(), Also.of(program.withAlso(Set.of()), plain));
    assertEquals(Set.of(Derivative.TANGENT), Also.of(program.withAlso(Set.of(Derivative.TANGENT)), plain));
    // a vector-valued main method: the checker reads a Dual, not a DualVector
    assertEquals(Set.of(), Also.of(new Program("B", List.of(), vector, 0), vector));
    // once processor bugs (ProcessorBugsTest), now with their tangents and Hessians
    Method negatesItsElement = new Method("g", List.of(scalar("u")), 0, List.of(
        new DeclArrInit("a", List.of(v("u"))), new ArrAssign("a", new ILit(0), '=', new Neg(at("a", new ILit(0)))),
        new Return(at("a", new ILit(0)))));
    Method callInInitialiser = new Method("g", List.of(scalar("u")), 0, List.of(
        new DeclArrInit("a", List.of(new Invoke("h1", List.of(v("u"))))), new Return(at("a", new ILit(0)))));
    assertEquals(both, Also.of(program, negatesItsElement));
    assertEquals(both, Also.of(program, callInInitialiser));

    String source = Printer.source(program);
    assertTrue(source.contains("@Differentiable(also = {TANGENT, HESSIAN})\n  static double h1(double u)"), source);
    assertTrue(source.contains("@Differentiable(also = {TANGENT, HESSIAN})\n  static double[] h0(double u)"), source);

    // only documented rejections of a derivative in the program's own source count as unsupported
    assertTrue(Also.unsupported("ERROR line 14: [ADJ209] call to h0 in forward mode (tangents through calls of other"
        + " @Differentiable methods are not generated yet) is not supported: ...\n"));
    assertTrue(Also.unsupported("ERROR line 26: [ADJ114] also = [TANGENT] is generated for double, double[] and"
        + " double[][] parameters; m has type dev.adjoint.runtime.Matrix\n"));
    assertFalse(Also.unsupported("ERROR line 15: [ADJ219] forward mode goes through h0 only if it has its own\n"));
    assertFalse(Also.unsupported("ERROR line 3: [ADJ402] internal error in Adjoint while processing f: ...\n"));
    assertFalse(Also.unsupported("ERROR line 40: cannot find symbol (generated P1Grad)\n"));
    assertFalse(Also.unsupported("ERROR line 14: [ADJ209] call to scale in forward mode is not supported\n"
        + "WARNING line 20: [cast] redundant cast to double\n"));
  }

  @Test
  void shrinkerCandidatesStayValid() {
    Program program = PROGRAMS.get("Helpers");
    int valid = 0;
    for (Program candidate : Shrinker.candidates(program)) {
      Program normal = Shrinker.removeUnusedHelpers(candidate);
      if (Validator.valid(normal)) {
        valid++;
        Checker.oracle(normal, List.of(0.5, new double[] {0.1, -0.2, 0.3}));
      }
    }
    assertTrue(valid > 10, "valid candidates: " + valid);
  }
}
