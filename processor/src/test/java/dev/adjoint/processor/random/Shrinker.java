package dev.adjoint.processor.random;

import dev.adjoint.processor.random.Ast.And;
import dev.adjoint.processor.random.Ast.ArrAssign;
import dev.adjoint.processor.random.Ast.ArrayRef;
import dev.adjoint.processor.random.Ast.Assign;
import dev.adjoint.processor.random.Ast.Bin;
import dev.adjoint.processor.random.Ast.Cmp;
import dev.adjoint.processor.random.Ast.Compound;
import dev.adjoint.processor.random.Ast.Cond;
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
import dev.adjoint.processor.random.Ast.MGet;
import dev.adjoint.processor.random.Ast.MMap;
import dev.adjoint.processor.random.Ast.MPlusScalar;
import dev.adjoint.processor.random.Ast.MReduce;
import dev.adjoint.processor.random.Ast.MScale;
import dev.adjoint.processor.random.Ast.MTimes;
import dev.adjoint.processor.random.Ast.MTranspose;
import dev.adjoint.processor.random.Ast.Fn1;
import dev.adjoint.processor.random.Ast.Fn2;
import dev.adjoint.processor.random.Ast.For;
import dev.adjoint.processor.random.Ast.ForEach;
import dev.adjoint.processor.random.Ast.If;
import dev.adjoint.processor.random.Ast.Invoke;
import dev.adjoint.processor.random.Ast.Lit;
import dev.adjoint.processor.random.Ast.Method;
import dev.adjoint.processor.random.Ast.Neg;
import dev.adjoint.processor.random.Ast.Not;
import dev.adjoint.processor.random.Ast.Opaque;
import dev.adjoint.processor.random.Ast.Or;
import dev.adjoint.processor.random.Ast.Program;
import dev.adjoint.processor.random.Ast.Return;
import dev.adjoint.processor.random.Ast.ReturnArray;
import dev.adjoint.processor.random.Ast.Stmt;
import dev.adjoint.processor.random.Ast.Ternary;
import dev.adjoint.processor.random.Ast.While;
import dev.adjoint.processor.random.Checker.Kind;
import dev.adjoint.processor.random.Checker.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Shrinks a failing program: removes statements, replaces compound statements by their bodies, subexpressions by
 * their operands or a literal, conditions by their parts, and reduces loop counts, for as long as the result still
 * fails the same way at the same point. Candidates are compiled 40 to a javac run; of the failing ones in a run the
 * shortest is kept.
 */
final class Shrinker {
  private static final int CHUNK = 40;

  /** The failure being shrunk, as {@link #signature} describes it. */
  private final String category;
  private final String signature;
  private final List<Object> point;
  private final List<Object> other;
  private final String method;
  private final long deadline;
  int compilations;

  private Shrinker(Outcome failure, long budgetMillis) {
    this.category = failure.category();
    this.signature = signature(failure);
    this.point = failure.point();
    this.other = failure.other();
    this.method = failure.method();
    this.deadline = System.currentTimeMillis() + budgetMillis;
  }

  /** The shrunk program and how it fails. */
  record Shrunk(Program program, Outcome outcome, int compilations) {}

  static Shrunk shrink(Program failing, Outcome failure, long budgetMillis) {
    Shrinker shrinker = new Shrinker(failure, budgetMillis);
    Program current = shrinker.normalize(failing);
    Outcome outcome = failure;
    Set<String> tried = new HashSet<>();
    boolean progress = true;
    while (progress && System.currentTimeMillis() < shrinker.deadline) {
      progress = false;
      List<Program> candidates = new ArrayList<>();
      Set<String> seen = new LinkedHashSet<>();
      int currentSize = Printer.methods(current).length();
      for (Program c : candidates(current)) {
        Program normal = shrinker.normalize(c);
        String text = Printer.methods(normal);
        if (text.length() < currentSize && !tried.contains(text) && seen.add(text) && Validator.valid(normal)) {
          candidates.add(normal);
        }
      }
      for (int from = 0; from < candidates.size() && System.currentTimeMillis() < shrinker.deadline; from += CHUNK) {
        List<Program> chunk = candidates.subList(from, Math.min(candidates.size(), from + CHUNK));
        Shrunk best = shrinker.bestFailing(chunk);
        for (Program p : chunk) {
          tried.add(Printer.methods(p));
        }
        if (best != null) {
          current = best.program().withClassName(failing.className());
          outcome = best.outcome();
          progress = true;
          break;
        }
      }
    }
    return new Shrunk(current, outcome, shrinker.compilations);
  }

  /**
   * Drops helpers nothing calls, except the failing method (a helper can be the one that fails). The method of a
   * compilation failure is not known: there, unused helpers go only as candidates of their own.
   */
  private Program normalize(Program program) {
    if (category.equals("compile")) {
      return program;
    }
    return removeUnusedHelpers(program, method);
  }

  /** The shortest candidate of the chunk that still fails the same way, or null. */
  private Shrunk bestFailing(List<Program> chunk) {
    List<Program> named = new ArrayList<>();
    for (int i = 0; i < chunk.size(); i++) {
      named.add(chunk.get(i).withClassName("S" + i));
    }
    compilations++;
    Batch.Result result = Batch.compile(named);
    Shrunk best = null;
    for (Program p : named) {
      Outcome outcome = evaluate(p, result);
      if (outcome != null && outcome.wrong() && outcome.category().equals(category)
          && signature(outcome).equals(signature)) {
        if (best == null || Printer.methods(p).length() < Printer.methods(best.program()).length()) {
          best = new Shrunk(p, outcome, compilations);
        }
      }
    }
    return best;
  }

  private Outcome evaluate(Program p, Batch.Result result) {
    String problem = result.problems().get(p.className());
    if (problem != null) {
      return new Outcome(Kind.WRONG, "compile", problem, point, other, method);
    }
    if (category.equals("compile")) {
      return null;
    }
    Program derived;
    try {
      derived = Checker.asMain(p, method);
    } catch (IllegalArgumentException removed) {
      return null;
    }
    try {
      return Checker.check(new Checker.Loaded(derived, result.loader()), point, other).in(method);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static final Pattern NAMES = Pattern.compile("\\b[A-Za-z_$][A-Za-z_$]*\\d+\\b|\\d+");

  /**
   * What must stay the same while shrinking: for a compilation failure the first message (without names or numbers)
   * and whether it is in the generated companion; for a crash the exception; for a count of opaque calls the entry
   * point and whether it called them more or less often; otherwise only the category.
   */
  static String signature(Outcome outcome) {
    switch (outcome.category()) {
      case "compile": {
        String first = outcome.detail().lines().findFirst().orElse("");
        first = first.replaceFirst("^(ERROR|WARNING|MANDATORY_WARNING) line \\d+: ", "")
            .replaceFirst(" \\(generated \\w+\\)$", "");
        String code = first.startsWith("[ADJ") ? first.substring(0, 8) : "";
        String message = code.equals("[ADJ402]") ? first : code.isEmpty() ? first : code;
        String where = outcome.detail().contains("(generated ") ? " in generated" : "";
        return NAMES.matcher(message).replaceAll("#") + where;
      }
      case "crash":
      case "into": {
        String detail = outcome.detail();
        int threw = detail.indexOf("threw ");
        if (threw < 0) {
          return outcome.category();
        }
        String exception = detail.substring(threw + 6).split("[: ]")[0];
        return outcome.category() + " " + exception;
      }
      case "opaque-calls": {
        // which entry point, and whether it called the helpers more or less often than the original
        java.util.regex.Matcher m = CALLS.matcher(outcome.detail());
        return m.find() ? outcome.category() + " " + m.group(1) + (Integer.parseInt(m.group(2))
            > Integer.parseInt(m.group(3)) ? " more" : " fewer") : outcome.category();
      }
      default:
        return outcome.category();
    }
  }

  private static final Pattern CALLS =
      Pattern.compile("^[a-z]\\d*(\\w*) at .* called the opaque helpers (\\d+) times, the original (\\d+) times");

  // ---------------------------------------------------------------- candidates

  static Program removeUnusedHelpers(Program program) {
    return removeUnusedHelpers(program, program.main().name());
  }

  static Program removeUnusedHelpers(Program program, String keep) {
    Set<String> used = new HashSet<>();
    used.add(keep);
    collectCalls(program.main().body(), used);
    List<Method> helpers = new ArrayList<>(program.helpers());
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Method h : helpers) {
        if (used.contains(h.name())) {
          int before = used.size();
          collectCalls(h.body(), used);
          changed |= used.size() != before;
        }
      }
    }
    helpers.removeIf(h -> !used.contains(h.name()));
    return program.with(helpers, program.main());
  }

  private static void collectCalls(List<Stmt> statements, Set<String> used) {
    String text = statements.toString();
    java.util.regex.Matcher m = Pattern.compile("method=(h\\d+)").matcher(text);
    while (m.find()) {
      used.add(m.group(1));
    }
  }

  /** All one-step reductions, biggest first: whole statements, then bodies, then expressions. */
  static List<Program> candidates(Program program) {
    List<Program> result = new ArrayList<>();
    List<Method> methods = new ArrayList<>(program.helpers());
    methods.add(program.main());
    for (Method h : program.helpers()) {
      List<Method> without = new ArrayList<>(program.helpers());
      without.remove(h);
      result.add(program.with(without, program.main()));
    }
    if (program.nested()) {
      result.add(program.withStatics(program.statics(), false));
    }
    if (program.statics() != null) {
      result.add(program.withStatics(null, program.nested()));
    }
    for (Method m : methods) {
      for (List<Stmt> body : blockVariants(m.body(), true)) {
        result.add(replace(program, m, m.withBody(body)));
      }
    }
    result.sort(Comparator.comparingInt(p -> Printer.methods(p).length()));
    return result;
  }

  private static Program replace(Program program, Method old, Method replacement) {
    if (program.main() == old) {
      return program.with(program.helpers(), replacement);
    }
    List<Method> helpers = new ArrayList<>(program.helpers());
    helpers.set(helpers.indexOf(old), replacement);
    return program.with(helpers, program.main());
  }

  private static List<List<Stmt>> blockVariants(List<Stmt> block, boolean methodBody) {
    List<List<Stmt>> result = new ArrayList<>();
    for (int i = 0; i < block.size(); i++) {
      boolean last = i == block.size() - 1;
      if (!(methodBody && last)) {
        List<Stmt> without = new ArrayList<>(block);
        without.remove(i);
        result.add(without);
      }
      for (List<Stmt> inline : inlines(block.get(i))) {
        List<Stmt> replaced = new ArrayList<>(block.subList(0, i));
        replaced.addAll(inline);
        replaced.addAll(block.subList(i + 1, block.size()));
        result.add(replaced);
      }
      for (Stmt variant : statementVariants(block.get(i))) {
        List<Stmt> replaced = new ArrayList<>(block);
        replaced.set(i, variant);
        result.add(replaced);
      }
    }
    return result;
  }

  private static List<List<Stmt>> inlines(Stmt s) {
    List<List<Stmt>> result = new ArrayList<>();
    if (s instanceof If i) {
      result.add(i.then());
      if (!i.els().isEmpty()) {
        result.add(i.els());
      }
    } else if (s instanceof For f) {
      result.add(f.body());
    } else if (s instanceof ForEach f) {
      result.add(f.body());
    } else if (s instanceof While w) {
      result.add(w.body());
    }
    return result;
  }

  private static <T> List<List<T>> listVariants(List<T> list, Function<T, List<T>> variants) {
    List<List<T>> result = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      for (T v : variants.apply(list.get(i))) {
        List<T> copy = new ArrayList<>(list);
        copy.set(i, v);
        result.add(copy);
      }
    }
    return result;
  }

  private static List<Stmt> statementVariants(Stmt statement) {
    List<Stmt> result = new ArrayList<>();
    if (statement instanceof DeclD d) {
      if (d.useVar()) {
        result.add(new DeclD(d.name(), d.init(), false));
      }
      exprVariants(d.init()).forEach(e -> result.add(new DeclD(d.name(), e, d.useVar())));
    } else if (statement instanceof Assign a) {
      exprVariants(a.e()).forEach(e -> result.add(new Assign(a.name(), e)));
    } else if (statement instanceof Compound c) {
      result.add(new Assign(c.name(), c.e()));
      exprVariants(c.e()).forEach(e -> result.add(new Compound(c.name(), c.op(), e)));
    } else if (statement instanceof DeclArrInit d) {
      result.add(new DeclArr(d.name(), d.init().size()));
      listVariants(d.init(), Shrinker::exprVariants).forEach(l -> result.add(new DeclArrInit(d.name(), l)));
    } else if (statement instanceof DeclArrCall d) {
      result.add(new DeclArr(d.name(), d.length()));
      for (Expr call : exprVariants(d.call())) {
        if (call instanceof Invoke i) {
          result.add(new DeclArrCall(d.name(), i, d.length()));
        }
      }
    } else if (statement instanceof ArrAssign a) {
      if (a.op() != '=') {
        result.add(new ArrAssign(a.name(), a.index(), '=', a.e()));
      }
      exprVariants(a.e()).forEach(e -> result.add(new ArrAssign(a.name(), a.index(), a.op(), e)));
    } else if (statement instanceof If i) {
      if (!i.els().isEmpty()) {
        result.add(new If(i.c(), i.then(), List.of()));
        result.add(new If(negate(i.c()), i.els(), List.of()));
      }
      condVariants(i.c()).forEach(c -> result.add(new If(c, i.then(), i.els())));
      blockVariants(i.then(), false).forEach(b -> result.add(new If(i.c(), b, i.els())));
      blockVariants(i.els(), false).forEach(b -> result.add(new If(i.c(), i.then(), b)));
    } else if (statement instanceof For f) {
      if (f.label() != null) {
        result.add(new For(null, f.var(), f.from(), f.to(), f.lengthOf(), f.down(), f.body()));
      }
      if (f.lengthOf() != null) {
        result.add(new For(f.label(), f.var(), f.from(), f.to(), null, f.down(), f.body()));
      }
      if (f.to() - f.from() > 1) {
        result.add(new For(f.label(), f.var(), f.from(), f.to() - 1, null, f.down(), f.body()));
        result.add(new For(f.label(), f.var(), f.from() + 1, f.to(), null, f.down(), f.body()));
      }
      if (f.down()) {
        result.add(new For(f.label(), f.var(), f.from(), f.to(), f.lengthOf(), false, f.body()));
      }
      blockVariants(f.body(), false).forEach(b -> result.add(new For(f.label(), f.var(), f.from(), f.to(),
          f.lengthOf(), f.down(), b)));
    } else if (statement instanceof ForEach f) {
      if (f.label() != null) {
        result.add(new ForEach(null, f.var(), f.array(), f.body()));
      }
      blockVariants(f.body(), false).forEach(b -> result.add(new ForEach(f.label(), f.var(), f.array(), b)));
    } else if (statement instanceof While w) {
      if (w.label() != null) {
        result.add(new While(null, w.guard(), w.max(), w.c(), w.doWhile(), w.body()));
      }
      if (w.max() > 1) {
        result.add(new While(w.label(), w.guard(), w.max() - 1, w.c(), w.doWhile(), w.body()));
      }
      if (w.doWhile()) {
        result.add(new While(w.label(), w.guard(), w.max(), w.c(), false, w.body()));
      }
      condVariants(w.c()).forEach(c -> result.add(new While(w.label(), w.guard(), w.max(), c, w.doWhile(),
          w.body())));
      blockVariants(w.body(), false).forEach(b -> result.add(new While(w.label(), w.guard(), w.max(), w.c(),
          w.doWhile(), b)));
    } else if (statement instanceof Return r) {
      exprVariants(r.e()).forEach(e -> result.add(new Return(e)));
    } else if (statement instanceof DeclM d) {
      matrixVariants(d.init()).forEach(m -> result.add(new DeclM(d.name(), m)));
    } else if (statement instanceof AssignM a) {
      matrixVariants(a.e()).forEach(m -> result.add(new AssignM(a.name(), m)));
    } else if (statement instanceof ReturnArray r && r.array() == null) {
      listVariants(r.elements(), Shrinker::exprVariants).forEach(l -> result.add(new ReturnArray(l, null)));
    }
    return result;
  }

  private static Cond negate(Cond c) {
    return c instanceof Not n ? n.c() : new Not(c);
  }

  private static List<Cond> condVariants(Cond c) {
    List<Cond> result = new ArrayList<>();
    if (c instanceof And a) {
      result.add(a.l());
      result.add(a.r());
      condVariants(a.l()).forEach(l -> result.add(new And(l, a.r())));
      condVariants(a.r()).forEach(r -> result.add(new And(a.l(), r)));
    } else if (c instanceof Or o) {
      result.add(o.l());
      result.add(o.r());
      condVariants(o.l()).forEach(l -> result.add(new Or(l, o.r())));
      condVariants(o.r()).forEach(r -> result.add(new Or(o.l(), r)));
    } else if (c instanceof Not n) {
      result.add(n.c());
      condVariants(n.c()).forEach(x -> result.add(new Not(x)));
    } else if (c instanceof Cmp cmp) {
      exprVariants(cmp.l()).forEach(l -> result.add(new Cmp(cmp.op(), l, cmp.r())));
      exprVariants(cmp.r()).forEach(r -> result.add(new Cmp(cmp.op(), cmp.l(), r)));
    }
    return result;
  }

  /** Smaller Matrix expressions of the same shape. */
  static List<MExpr> matrixVariants(MExpr e) {
    List<MExpr> result = new ArrayList<>();
    if (e instanceof MBin b) {
      result.add(b.a());
      result.add(b.b());
      matrixVariants(b.a()).forEach(x -> result.add(new MBin(b.op(), x, b.b())));
      matrixVariants(b.b()).forEach(x -> result.add(new MBin(b.op(), b.a(), x)));
    } else if (e instanceof MMap m) {
      result.add(m.a());
      matrixVariants(m.a()).forEach(x -> result.add(new MMap(m.fn(), x)));
    } else if (e instanceof MScale m) {
      result.add(m.a());
      matrixVariants(m.a()).forEach(x -> result.add(new MScale(x, m.factor())));
      exprVariants(m.factor()).forEach(x -> result.add(new MScale(m.a(), x)));
    } else if (e instanceof MPlusScalar m) {
      result.add(m.a());
      matrixVariants(m.a()).forEach(x -> result.add(new MPlusScalar(x, m.offset())));
      exprVariants(m.offset()).forEach(x -> result.add(new MPlusScalar(m.a(), x)));
    } else if (e instanceof MTimes t) {
      matrixVariants(t.a()).forEach(x -> result.add(new MTimes(x, t.b())));
      matrixVariants(t.b()).forEach(x -> result.add(new MTimes(t.a(), x)));
    } else if (e instanceof MTranspose t) {
      matrixVariants(t.a()).forEach(x -> result.add(new MTranspose(x)));
    }
    return result;
  }

  /** Smaller expressions in place of {@code e}: its operands, a literal, or {@code e} with a smaller part. */
  static List<Expr> exprVariants(Expr e) {
    List<Expr> result = new ArrayList<>();
    if (e instanceof ArrayRef) {
      return result;
    }
    if (e instanceof Lit l) {
      double rounded = Math.rint(l.value());
      if (rounded != l.value()) {
        result.add(new Lit(rounded == 0 ? 0.0 : rounded));
      }
      return result;
    }
    if (e instanceof Neg n) {
      result.add(n.e());
      exprVariants(n.e()).forEach(x -> result.add(new Neg(x)));
    } else if (e instanceof Bin b) {
      result.add(b.l());
      result.add(b.r());
      exprVariants(b.l()).forEach(x -> result.add(new Bin(b.op(), x, b.r())));
      exprVariants(b.r()).forEach(x -> result.add(new Bin(b.op(), b.l(), x)));
    } else if (e instanceof Fn1 f) {
      result.add(f.a());
      exprVariants(f.a()).forEach(x -> result.add(new Fn1(f.fn(), x)));
    } else if (e instanceof Fn2 f) {
      result.add(f.a());
      if (!(f.b() instanceof Lit)) {
        result.add(f.b());
      }
      exprVariants(f.a()).forEach(x -> result.add(new Fn2(f.fn(), x, f.b())));
      exprVariants(f.b()).forEach(x -> result.add(new Fn2(f.fn(), f.a(), x)));
    } else if (e instanceof Ternary t) {
      result.add(t.a());
      result.add(t.b());
      condVariants(t.c()).forEach(c -> result.add(new Ternary(c, t.a(), t.b())));
      exprVariants(t.a()).forEach(x -> result.add(new Ternary(t.c(), x, t.b())));
      exprVariants(t.b()).forEach(x -> result.add(new Ternary(t.c(), t.a(), x)));
    } else if (e instanceof Invoke i) {
      for (Expr arg : i.args()) {
        if (!(arg instanceof ArrayRef)) {
          result.add(arg);
        }
      }
      listVariants(i.args(), Shrinker::exprVariants).forEach(args -> result.add(new Invoke(i.method(), args)));
    } else if (e instanceof MReduce r) {
      matrixVariants(r.a()).forEach(x -> result.add(new MReduce(r.fn(), x)));
    } else if (e instanceof MDot d) {
      matrixVariants(d.a()).forEach(x -> result.add(new MDot(x, d.b())));
      matrixVariants(d.b()).forEach(x -> result.add(new MDot(d.a(), x)));
    } else if (e instanceof MGet g) {
      matrixVariants(g.a()).forEach(x -> result.add(new MGet(x, g.row(), g.col())));
    } else if (e instanceof Opaque o) {
      listVariants(o.args(), Shrinker::exprVariants).forEach(args -> result.add(new Opaque(o.helper(), args)));
    }
    result.add(new Lit(1.0));
    result.add(new Lit(0.5));
    return result;
  }
}
