package dev.adjoint.processor.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.adjoint.processor.random.Checker.Kind;
import dev.adjoint.processor.random.Checker.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  @BeforeAll
  static void compileAll() {
    compiled = Batch.compile(new ArrayList<>(PROGRAMS.values()));
    assertEquals(Map.of(), compiled.problems(), "the hand-picked programs compile cleanly");
  }

  private static void check(String name) {
    Program program = PROGRAMS.get(name);
    SplittableRandom random = new SplittableRandom(name.hashCode());
    int ok = 0;
    for (int p = 0; p < POINTS; p++) {
      Outcome outcome = Checker.checkProgram(program, compiled.loader(), random, 1);
      assertTrue(outcome.kind() != Kind.WRONG, () -> outcome.category() + " at " + Checker.format(outcome.point())
          + "\n" + outcome.detail() + "\n" + Printer.source(program));
      if (outcome.kind() == Kind.OK) {
        ok++;
      }
    }
    assertTrue(ok >= POINTS / 2, name + ": only " + ok + " of " + POINTS + " points checked");
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

  // ---------------------------------------------------------------- the machinery

  @Test
  void generatorIsDeterministicAndItsProgramsAreValid() {
    for (int n = 0; n < 200; n++) {
      Program a = new Generator(new SplittableRandom(n)).program("G" + n, 1 + n % 5);
      Program b = new Generator(new SplittableRandom(n)).program("G" + n, 1 + n % 5);
      assertEquals(Printer.source(a), Printer.source(b));
      assertTrue(Validator.valid(a), () -> "invalid:\n" + Printer.source(a));
    }
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
