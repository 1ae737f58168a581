package dev.adjoint.processor.random;

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
import dev.adjoint.processor.random.Ast.ICmp;
import dev.adjoint.processor.random.Ast.IAdd;
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
import java.util.List;
import java.util.stream.Collectors;

/** Java source of a random program: the text the processor reads. */
final class Printer {
  static final String PACKAGE = "p";

  private final StringBuilder out = new StringBuilder();
  private int indent;

  private Printer() {}

  /** The whole compilation unit of a program: {@code package p; class <className> {...}}. */
  static String source(Program program) {
    Printer printer = new Printer();
    printer.out.append("package ").append(PACKAGE).append(";\n\n");
    java.util.Set<Derivative> also = Also.asked(program);
    for (Derivative d : also) {
      printer.out.append("import static dev.adjoint.Derivative.").append(d.name()).append(";\n");
    }
    if (!also.isEmpty()) {
      printer.out.append('\n');
    }
    printer.out.append("import dev.adjoint.Differentiable;\n");
    if (usesMatrices(program)) {
      printer.out.append("import dev.adjoint.runtime.Matrix;\n");
    }
    printer.out.append('\n');
    printer.out.append("class ").append(program.className()).append(" {\n");
    printer.indent = 1;
    boolean first = true;
    if (program.statics() != null) {
      java.util.Set<StaticState.Helper> used = java.util.EnumSet.noneOf(StaticState.Helper.class);
      String bodies = program.helpers().toString() + program.main();
      for (StaticState.Helper h : StaticState.Helper.values()) {
        if (bodies.contains("helper=" + h.name() + ",")) {
          used.add(h);
        }
      }
      for (String member : StaticState.members(program.statics(), used)) {
        if (member.isEmpty()) {
          printer.out.append('\n');
        } else {
          printer.line(member);
        }
      }
      first = false;
    }
    if (program.nested()) {
      if (!first) {
        printer.out.append('\n');
      }
      first = true;
      printer.line("static class " + Program.NESTED + " {");
      printer.indent++;
    }
    for (Method helper : program.helpers()) {
      if (!first) {
        printer.out.append('\n');
      }
      first = false;
      printer.method(program, helper);
    }
    if (!first) {
      printer.out.append('\n');
    }
    printer.method(program, program.main());
    if (program.nested()) {
      printer.indent--;
      printer.line("}");
    }
    printer.out.append("}\n");
    return printer.out.toString();
  }

  static boolean usesMatrices(Program program) {
    List<Method> methods = new java.util.ArrayList<>(program.helpers());
    methods.add(program.main());
    return methods.stream().anyMatch(m -> m.params().stream().anyMatch(Param::matrix)
        || m.body().toString().contains("DeclM[") || m.body().toString().contains("MFilled["));
  }

  /** The program's methods only, as they appear in the class (for reports). */
  static String methods(Program program) {
    String source = source(program);
    int start = source.indexOf('{') + 2;
    return source.substring(start, source.lastIndexOf('}'));
  }

  private void line(String text) {
    out.append("  ".repeat(indent)).append(text).append('\n');
  }

  private void method(Program program, Method method) {
    if (method.annotated()) {
      line(Also.annotation(Also.of(program, method)));
    }
    if (fallsThrough(method.body())) {
      line("@SuppressWarnings(\"fallthrough\")"); // the programs compile with -Xlint:all -Werror
    }
    String params = method.params().stream()
        .map(p -> (p.matrix() ? "Matrix " : p.array() ? "double[] " : "double ") + p.name())
        .collect(Collectors.joining(", "));
    String result = method.isVoid() ? "void " : method.vector() ? "double[] " : "double ";
    line((method.isPrivate() ? "private static " : "static ") + result + method.name() + "(" + params + ") {");
    block(method.body());
    line("}");
  }

  /** Whether a colon-form switch in {@code statements} has a case that falls through into the next. */
  private static boolean fallsThrough(List<Stmt> statements) {
    for (Stmt s : Also.statements(statements)) {
      if (s instanceof Switch w && !w.arrow()) {
        for (int i = 0; i < w.cases().size() - 1; i++) {
          if (!w.cases().get(i).breaks()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private void block(List<Stmt> statements) {
    indent++;
    for (Stmt s : statements) {
      statement(s);
    }
    indent--;
  }

  private void statement(Stmt statement) {
    if (statement instanceof DeclD d) {
      line((d.useVar() ? "var " : "double ") + d.name() + " = " + expr(d.init()) + ";");
    } else if (statement instanceof Assign a) {
      line(a.name() + " = " + expr(a.e()) + ";");
    } else if (statement instanceof Compound c) {
      line(c.name() + " " + c.op() + "= " + expr(c.e()) + ";");
    } else if (statement instanceof DeclArr d) {
      line("double[] " + d.name() + " = new double[" + d.length() + "];");
    } else if (statement instanceof DeclArrInit d) {
      line("double[] " + d.name() + " = {" + d.init().stream().map(Printer::expr).collect(Collectors.joining(", "))
          + "};");
    } else if (statement instanceof DeclArrCall d) {
      line("double[] " + d.name() + " = " + expr(d.call()) + ";");
    } else if (statement instanceof ArrAssign a) {
      line(a.name() + "[" + intExpr(a.index()) + "] " + (a.op() == '=' ? "" : String.valueOf(a.op())) + "= "
          + expr(a.e()) + ";");
    } else if (statement instanceof If i) {
      line("if (" + cond(i.c()) + ") {");
      block(i.then());
      if (i.els().isEmpty()) {
        line("}");
      } else {
        line("} else {");
        block(i.els());
        line("}");
      }
    } else if (statement instanceof For f) {
      label(f.label());
      if (f.down()) {
        line("for (int " + f.var() + " = " + f.last() + "; " + f.var() + " >= " + f.from() + "; " + f.var()
            + "--) {");
      } else {
        line("for (int " + f.var() + " = " + f.from() + "; " + f.var() + " < " + f.bound() + "; " + f.var() + "++) {");
      }
      block(f.body());
      line("}");
    } else if (statement instanceof ForEach f) {
      label(f.label());
      line("for (double " + f.var() + " : " + f.array() + ") {");
      block(f.body());
      line("}");
    } else if (statement instanceof While w) {
      line("int " + w.guard() + " = 0;");
      label(w.label());
      String condition = condAtom(w.c(), true) + " && " + w.guard() + " < " + w.max();
      line(w.doWhile() ? "do {" : "while (" + condition + ") {");
      indent++;
      line(w.guard() + "++;");
      indent--;
      block(w.body());
      line(w.doWhile() ? "} while (" + condition + ");" : "}");
    } else if (statement instanceof Break b) {
      line(b.label() == null ? "break;" : "break " + b.label() + ";");
    } else if (statement instanceof Continue c) {
      line(c.label() == null ? "continue;" : "continue " + c.label() + ";");
    } else if (statement instanceof Return r) {
      line("return " + expr(r.e()) + ";");
    } else if (statement instanceof ReturnArray r) {
      line(r.array() != null ? "return " + r.array() + ";"
          : "return new double[] {" + r.elements().stream().map(Printer::expr).collect(Collectors.joining(", "))
              + "};");
    } else if (statement instanceof DeclM d) {
      line("Matrix " + d.name() + " = " + matrix(d.init()) + ";");
    } else if (statement instanceof AssignM a) {
      line(a.name() + " = " + matrix(a.e()) + ";");
    } else if (statement instanceof CallVoid c) {
      line(expr(c.call()) + ";");
    } else if (statement instanceof Switch w) {
      line("switch (" + intExpr(w.selector()) + ") {");
      indent++;
      for (Case c : w.cases()) {
        if (w.arrow()) {
          line((c.labels().isEmpty() ? "default" : "case " + labels(c.labels())) + " -> {");
          block(c.body());
          line("}");
        } else {
          if (c.labels().isEmpty()) {
            line("default:");
          }
          for (int label : c.labels()) {
            line("case " + label + ":");
          }
          block(c.body());
          if (c.breaks()) {
            indent++;
            line("break;");
            indent--;
          }
        }
      }
      indent--;
      line("}");
    } else {
      throw new IllegalArgumentException(String.valueOf(statement));
    }
  }

  private void label(String label) {
    if (label != null) {
      line(label + ":");
    }
  }

  // ---------------------------------------------------------------- expressions

  static String expr(Expr e) {
    if (e instanceof Lit l) {
      return literal(l.value());
    } else if (e instanceof Var v) {
      return v.name();
    } else if (e instanceof IntAsDouble i) {
      return "(double) " + intAtom(i.e());
    } else if (e instanceof ArrayRead a) {
      return a.array() + "[" + intExpr(a.index()) + "]";
    } else if (e instanceof ArrayRef a) {
      return a.array();
    } else if (e instanceof Neg n) {
      return "-" + atom(n.e());
    } else if (e instanceof Bin b) {
      return operand(b.l(), b.op(), false) + " " + b.op() + " " + operand(b.r(), b.op(), true);
    } else if (e instanceof Fn1 f) {
      return "Math." + f.fn() + "(" + expr(f.a()) + ")";
    } else if (e instanceof Fn2 f) {
      return "Math." + f.fn() + "(" + expr(f.a()) + ", " + expr(f.b()) + ")";
    } else if (e instanceof Ternary t) {
      return "(" + cond(t.c()) + " ? " + expr(t.a()) + " : " + expr(t.b()) + ")";
    } else if (e instanceof Invoke i) {
      return i.method() + "(" + i.args().stream().map(Printer::expr).collect(Collectors.joining(", ")) + ")";
    } else if (e instanceof MReduce r) {
      return matrix(r.a()) + "." + r.fn() + "()";
    } else if (e instanceof MDot d) {
      return matrix(d.a()) + ".dot(" + matrix(d.b()) + ")";
    } else if (e instanceof MGet g) {
      return matrix(g.a()) + ".get(" + g.row() + ", " + g.col() + ")";
    } else if (e instanceof Opaque o) {
      return o.helper().method + "(" + o.args().stream().map(Printer::expr).collect(Collectors.joining(", ")) + ")";
    } else if (e instanceof Const c) {
      return StaticState.constant(c.index());
    } else if (e instanceof TableRead t) {
      return StaticState.TABLE + "[" + intExpr(t.index()) + "]";
    } else if (e instanceof SwitchExpr w) {
      StringBuilder text = new StringBuilder("switch (" + intExpr(w.selector()) + ") {");
      for (int i = 0; i < w.values().size(); i++) {
        String label = i < w.labels().size() ? "case " + labels(w.labels().get(i)) : "default";
        text.append(' ').append(label).append(" -> ").append(expr(w.values().get(i))).append(';');
      }
      return text.append(" }").toString();
    }
    throw new IllegalArgumentException(String.valueOf(e));
  }

  private static String labels(List<Integer> labels) {
    return labels.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  /** A Matrix expression; every form is a primary, so it can be the receiver of a call. */
  static String matrix(MExpr e) {
    if (e instanceof MVar v) {
      return v.name();
    } else if (e instanceof MFilled f) {
      return "Matrix.filled(" + f.rows() + ", " + f.cols() + ", " + literal(f.value()) + ")";
    } else if (e instanceof MTimes t) {
      return matrix(t.a()) + ".times(" + matrix(t.b()) + ")";
    } else if (e instanceof MTranspose t) {
      return matrix(t.a()) + ".transpose()";
    } else if (e instanceof MBin b) {
      return matrix(b.a()) + "." + b.op() + "(" + matrix(b.b()) + ")";
    } else if (e instanceof MScale m) {
      return matrix(m.a()) + ".scale(" + expr(m.factor()) + ")";
    } else if (e instanceof MPlusScalar m) {
      return matrix(m.a()) + ".plusScalar(" + expr(m.offset()) + ")";
    } else if (e instanceof MMap m) {
      return matrix(m.a()) + "." + m.fn() + "()";
    }
    throw new IllegalArgumentException(String.valueOf(e));
  }

  static String literal(double value) {
    if (value == Math.PI) {
      return "Math.PI";
    } else if (value == Math.E) {
      return "Math.E";
    }
    return Double.toString(value);
  }

  /** An expression that binds tighter than any binary operator. */
  private static String atom(Expr e) {
    boolean simple = e instanceof Var || e instanceof ArrayRead || e instanceof Fn1 || e instanceof Fn2
        || e instanceof Invoke || e instanceof Ternary || e instanceof MReduce || e instanceof MDot
        || e instanceof MGet || e instanceof Opaque || e instanceof TableRead
        || e instanceof Const || (e instanceof Lit l && l.value() >= 0);
    return simple ? expr(e) : "(" + expr(e) + ")";
  }

  private static boolean additive(char op) {
    return op == '+' || op == '-';
  }

  private static String operand(Expr child, char parent, boolean right) {
    if (child instanceof Bin b) {
      boolean tighter = !additive(b.op()) && additive(parent);
      boolean sameLevelLeft = !right && additive(b.op()) == additive(parent);
      return tighter || sameLevelLeft ? expr(child) : "(" + expr(child) + ")";
    }
    if (child instanceof Neg || child instanceof IntAsDouble) {
      return "(" + expr(child) + ")";
    }
    return atom(child);
  }

  static String intExpr(IntExpr e) {
    if (e instanceof ILit l) {
      return Integer.toString(l.value());
    } else if (e instanceof IVar v) {
      return v.name();
    } else if (e instanceof IAdd a) {
      return a.c() >= 0 ? intExpr(a.e()) + " + " + a.c() : intExpr(a.e()) + " - " + (-a.c());
    } else if (e instanceof IRev r) {
      return r.c() + " - " + intAtom(r.e());
    } else if (e instanceof IMod m) {
      return intAtom(m.e()) + " % " + m.n();
    } else if (e instanceof ILength l) {
      return l.array() + ".length";
    }
    throw new IllegalArgumentException(String.valueOf(e));
  }

  private static String intAtom(IntExpr e) {
    return e instanceof ILit || e instanceof IVar || e instanceof ILength ? intExpr(e) : "(" + intExpr(e) + ")";
  }

  static String cond(Cond c) {
    if (c instanceof Cmp cmp) {
      return expr(cmp.l()) + " " + cmp.op() + " " + expr(cmp.r());
    } else if (c instanceof ICmp cmp) {
      return intExpr(cmp.l()) + " " + cmp.op() + " " + intExpr(cmp.r());
    } else if (c instanceof And a) {
      return condAtom(a.l(), true) + " && " + condAtom(a.r(), true);
    } else if (c instanceof Or o) {
      return condAtom(o.l(), false) + " || " + condAtom(o.r(), false);
    } else if (c instanceof Not n) {
      return "!(" + cond(n.c()) + ")";
    }
    throw new IllegalArgumentException(String.valueOf(c));
  }

  private static String condAtom(Cond c, boolean insideAnd) {
    boolean wrap = insideAnd ? c instanceof Or : c instanceof And;
    return wrap ? "(" + cond(c) + ")" : cond(c);
  }

  static String params(List<Param> params) {
    return params.stream().map(Param::name).collect(Collectors.joining(", "));
  }
}
