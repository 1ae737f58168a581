package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.BinaryOperator;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOperator;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prints IR statements and expressions as Java through JavaPoet, parenthesising by precedence. */
final class CodeWriter {
  private static final int PRIMARY = 16;
  private static final int UNARY = 14;
  private static final int CAST = 13;
  private static final int CONDITIONAL = 2;

  private final Names names;
  private final String tapeName;
  /** The source line cited last: the statements one line became cite it once. */
  private String lastComment;
  /** Blocks whose statements are in methods of their own ({@link MethodSplitter}): printed as calls of them. */
  private final Map<Stmt.Block, List<String>> splitBlocks;
  /** Told of each function object the code creates, whose class the companion then declares; names it. */
  private final java.util.function.Function<Expr.FunctionRef, String> functionObjects;
  /** The function objects the statements being printed use: class name to local. */
  private final java.util.Map<String, String> functionObjectLocals = new java.util.LinkedHashMap<>();

  CodeWriter(Names names, String tapeName, java.util.function.Function<Expr.FunctionRef, String> functionObjects) {
    this(names, tapeName, functionObjects, Map.of());
  }

  CodeWriter(Names names, String tapeName, java.util.function.Function<Expr.FunctionRef, String> functionObjects,
      Map<Stmt.Block, List<String>> splitBlocks) {
    this.names = names;
    this.tapeName = tapeName;
    this.functionObjects = functionObjects;
    this.splitBlocks = splitBlocks;
  }

  /**
   * The statements as Java, preceded by one local per function object they hand to derivative
   * rules: created once per generated call, however often the rules are called.
   */
  CodeBlock statements(List<Stmt> statements) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (Stmt statement : statements) {
      statement(statement, code);
    }
    CodeBlock.Builder withObjects = CodeBlock.builder();
    functionObjectLocals.forEach((className, local) -> withObjects.addStatement("$L $L = new $L()", className, local,
        className));
    functionObjectLocals.clear();
    return withObjects.add(code.build()).build();
  }

  private void statement(Stmt statement, CodeBlock.Builder code) {
    statement.accept(new StatementPrinter(code));
  }

  /** Adds each statement it visits to {@code code}. */
  private final class StatementPrinter implements Stmt.Visitor<Void> {
    private final CodeBlock.Builder code;

    StatementPrinter(CodeBlock.Builder code) {
      this.code = code;
    }

    @Override
    public Void visitBlock(Stmt.Block block) {
      List<String> parts = splitBlocks.get(block);
      if (parts != null) {
        parts.forEach(part -> code.addStatement("$L()", part));
        return null;
      }
      block.statements().forEach(child -> child.accept(this));
      return null;
    }

    @Override
    public Void visitDeclare(Stmt.Declare declare) {
      Variable variable = declare.variable();
      Expr init = declare.init();
      CodeBlock value = init == null ? zeroOf(variable.type()) : expression(init);
      if (names.isDeclared(variable)) {
        // One variable declared in two places (two loops' counters, say) that share a Java scope here.
        code.addStatement("$L = $L", names.of(variable), value);
      } else {
        code.addStatement("$T $L = $L", variable.type().typeName(), names.declare(variable), value);
      }
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign assign) {
      code.addStatement("$L", assignment(new Expr.Read(assign.variable()), assign.value()));
      return null;
    }

    @Override
    public Void visitArrayAssign(Stmt.ArrayAssign assign) {
      Expr element = new Expr.ArrayRead(assign.array(), assign.index(), assign.position());
      code.addStatement("$L", assignment(element, assign.value()));
      return null;
    }

    @Override
    public Void visitIf(Stmt.If ifStmt) {
      code.beginControlFlow("if ($L)", expression(ifStmt.condition()));
      scoped(ifStmt.thenBlock(), code);
      if (!ifStmt.elseBlock().isEmpty()) {
        code.nextControlFlow("else");
        scoped(ifStmt.elseBlock(), code);
      }
      code.endControlFlow();
      return null;
    }

    @Override
    public Void visitLoop(Stmt.Loop loop) {
      loop(loop, code);
      return null;
    }

    @Override
    public Void visitBreak(Stmt.Break jump) {
      throw notNormalized(jump);
    }

    @Override
    public Void visitContinue(Stmt.Continue jump) {
      throw notNormalized(jump);
    }

    @Override
    public Void visitReturn(Stmt.Return ret) {
      throw notNormalized(ret);
    }

    @Override
    public Void visitPush(Stmt.Push push) {
      code.addStatement("$L.push$L($L)", tapeName, kindOf(push.value().type()), expression(push.value()));
      return null;
    }

    @Override
    public Void visitPullback(Stmt.Pullback pullback) {
      List<Expr> arguments = new ArrayList<>(pullback.arguments());
      arguments.add(pullback.seed());
      code.addStatement("$T.$L($L, $L)", ClassName.bestGuess(pullback.callee().companionQualifiedName()),
          pullback.callee().pullbackName(), arguments(arguments), names.of(pullback.gradient()));
      return null;
    }

    @Override
    public Void visitPullbackTangent(Stmt.PullbackTangent tangent) {
      Stmt.Pullback pullback = tangent.pullback();
      List<Expr> arguments = new ArrayList<>(pullback.arguments());
      arguments.add(pullback.seed());
      arguments.addAll(tangent.argumentTangents());
      arguments.add(tangent.seedTangent());
      code.addStatement("$T.$L($L, $L, $L)", ClassName.bestGuess(pullback.callee().companionQualifiedName()),
          pullback.callee().pullbackTangentName(), arguments(arguments), names.of(pullback.gradient()),
          names.of(tangent.gradientTangent()));
      return null;
    }

    @Override
    public Void visitEffect(Stmt.Effect effect) {
      code.addStatement("$L", expression(effect.call()));
      return null;
    }

    @Override
    public Void visitComment(Stmt.Comment comment) {
      if (!comment.text().equals(lastComment)) {
        code.add("// $L\n", comment.text());
      }
      lastComment = comment.text();
      return null;
    }
  }

  /** Prints {@code statements} as the body of a Java block: their declarations end with it. */
  private void scoped(Stmt statements, CodeBlock.Builder code) {
    names.open();
    statement(statements, code);
    names.close();
  }

  /** Generated code has one exit and no jumps: the normalizer turned them into flags. */
  private static IllegalStateException notNormalized(Stmt statement) {
    return new IllegalStateException("cannot print a jump, normalized code has none: " + statement);
  }

  private void loop(Stmt.Loop loop, CodeBlock.Builder code) {
    List<Stmt> update = loop.update().statements();
    boolean simpleUpdate = !update.isEmpty()
        && update.stream().allMatch(s -> s instanceof Stmt.Assign || s instanceof Stmt.ArrayAssign);
    if (loop.testFirst() && simpleUpdate) {
      CodeBlock.Builder steps = CodeBlock.builder();
      for (int i = 0; i < update.size(); i++) {
        Stmt step = update.get(i);
        Expr target = step instanceof Stmt.Assign assign ? new Expr.Read(assign.variable())
            : new Expr.ArrayRead(((Stmt.ArrayAssign) step).array(), ((Stmt.ArrayAssign) step).index(), step.position());
        Expr value = step instanceof Stmt.Assign assign ? assign.value() : ((Stmt.ArrayAssign) step).value();
        steps.add(i == 0 ? "$L" : ", $L", assignment(target, value));
      }
      code.beginControlFlow("for (; $L; $L)", expression(loop.condition()), steps.build());
      scoped(loop.body(), code);
      code.endControlFlow();
    } else if (loop.testFirst()) {
      code.beginControlFlow("while ($L)", expression(loop.condition()));
      scoped(new Stmt.Block(List.of(loop.body(), loop.update())), code);
      code.endControlFlow();
    } else {
      code.beginControlFlow("do");
      scoped(new Stmt.Block(List.of(loop.body(), loop.update())), code);
      code.endControlFlow("while ($L)", expression(loop.condition()));
    }
  }

  /** {@code target = value}, written {@code target += x} or {@code i++} where it reads so. */
  private CodeBlock assignment(Expr target, Expr value) {
    if (value instanceof Expr.Binary binary && binary.operator().isArithmetic()
        && binary.operator() != BinaryOperator.REMAINDER && Exprs.sameValue(binary.left(), target)
        && binary.type().equals(target.type())) {
      if (target.type().isIntegral() && binary.right() instanceof Expr.Literal literal
          && literal.value().equals(1)
          && (binary.operator() == BinaryOperator.ADD || binary.operator() == BinaryOperator.SUBTRACT)) {
        return CodeBlock.of("$L$L", expression(target), binary.operator() == BinaryOperator.ADD ? "++" : "--");
      }
      return CodeBlock.of("$L $L= $L", expression(target), binary.operator().symbol(), expression(binary.right()));
    }
    return CodeBlock.of("$L = $L", expression(target), expression(value));
  }

  CodeBlock expression(Expr expr) {
    return expression(expr, 0);
  }

  /** Prints {@code expr}, in parentheses when it binds less tightly than {@code context} requires. */
  private CodeBlock expression(Expr expr, int context) {
    int precedence = precedenceOf(expr);
    CodeBlock code = bare(expr);
    return precedence < context ? CodeBlock.of("($L)", code) : code;
  }

  private CodeBlock bare(Expr expr) {
    return expr.accept(new Expr.Visitor<CodeBlock>() {
      @Override
      public CodeBlock visitLiteral(Expr.Literal literal) {
        return CodeBlock.of("$L", literalText(literal));
      }

      @Override
      public CodeBlock visitFunctionRef(Expr.FunctionRef reference) {
        if (reference.differentiableInterface() == null) {
          return CodeBlock.of("$T::$L", ClassName.bestGuess(reference.target().ownerQualifiedName()),
              reference.target().name());
        }
        String className = functionObjects.apply(reference);
        return CodeBlock.of("$L", functionObjectLocals.computeIfAbsent(className, unused -> names.fresh(
            Character.toLowerCase(className.charAt(0)) + className.substring(1), "function object " + className)));
      }

      @Override
      public CodeBlock visitRead(Expr.Read read) {
        return CodeBlock.of("$L", names.of(read.variable()));
      }

      @Override
      public CodeBlock visitConstant(Expr.Constant constant) {
        return CodeBlock.of("$T.$L", ClassName.bestGuess(constant.ownerQualifiedName()), constant.field());
      }

      @Override
      public CodeBlock visitArrayRead(Expr.ArrayRead read) {
        return CodeBlock.of("$L[$L]", expression(read.array(), PRIMARY), expression(read.index()));
      }

      @Override
      public CodeBlock visitLength(Expr.Length length) {
        return CodeBlock.of("$L.length", expression(length.array(), PRIMARY));
      }

      @Override
      public CodeBlock visitUnary(Expr.Unary unary) {
        boolean doubleSign = unary.operator() != UnaryOperator.NOT && (unary.operand() instanceof Expr.Unary
            || (unary.operand() instanceof Expr.Literal literal && literalText(literal).startsWith("-")));
        CodeBlock operand = expression(unary.operand(), doubleSign ? PRIMARY + 1 : UNARY);
        return CodeBlock.of("$L$L", unary.operator().symbol(), operand);
      }

      @Override
      public CodeBlock visitBinary(Expr.Binary binary) {
        int precedence = binary.operator().precedence();
        int rightContext = binary.operator().isAssociative() ? precedence : precedence + 1;
        return CodeBlock.of("$L $L $L", expression(binary.left(), precedence), binary.operator().symbol(),
            expression(binary.right(), rightContext));
      }

      @Override
      public CodeBlock visitCast(Expr.Cast cast) {
        return CodeBlock.of("($T) $L", cast.type().typeName(), expression(cast.operand(), CAST));
      }

      @Override
      public CodeBlock visitConditional(Expr.Conditional conditional) {
        return CodeBlock.of("$L ? $L : $L", expression(conditional.condition(), CONDITIONAL + 1),
            expression(conditional.whenTrue(), CONDITIONAL + 1), expression(conditional.whenFalse(), CONDITIONAL));
      }

      @Override
      public CodeBlock visitCall(Expr.Call call) {
        if (call.callee().instance()) {
          return CodeBlock.of("$L.$L($L)", expression(call.arguments().get(0), PRIMARY), call.callee().name(),
              arguments(call.arguments().subList(1, call.arguments().size())));
        }
        return CodeBlock.of("$T.$L($L)", ClassName.bestGuess(call.callee().ownerQualifiedName()),
            call.callee().name(), arguments(call.arguments()));
      }

      @Override
      public CodeBlock visitNewArray(Expr.NewArray array) {
        CodeBlock.Builder dimensions = CodeBlock.builder();
        for (Expr dimension : array.dimensions()) {
          dimensions.add("[$L]", expression(dimension));
        }
        Type element = array.type();
        while (element.isArray()) {
          element = element.element();
        }
        return CodeBlock.of("new $T$L", element.typeName(), dimensions.build());
      }

      @Override
      public CodeBlock visitArrayLiteral(Expr.ArrayLiteral literal) {
        return CodeBlock.of("new $T {$L}", literal.type().typeName(), arguments(literal.elements()));
      }

      @Override
      public CodeBlock visitNewRecord(Expr.NewRecord record) {
        return CodeBlock.of("new $T($L)", record.type().typeName(), arguments(record.components()));
      }

      @Override
      public CodeBlock visitPop(Expr.Pop pop) {
        return CodeBlock.of("$L.pop$L()", tapeName, kindOf(pop.type()));
      }

      @Override
      public CodeBlock visitPartialOf(Expr.PartialOf partial) {
        CodeBlock.Builder read = CodeBlock.builder().add("$L.$L()", names.of(partial.gradient()), partial.parameter());
        partial.components().forEach(accessor -> read.add(".$L()", accessor));
        return read.build();
      }
    });
  }

  private CodeBlock arguments(List<Expr> arguments) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (int i = 0; i < arguments.size(); i++) {
      code.add(i == 0 ? "$L" : ", $L", expression(arguments.get(i)));
    }
    return code.build();
  }

  private static int precedenceOf(Expr expr) {
    return expr.accept(PRECEDENCE);
  }

  /** How tightly each kind of expression binds, as printed. */
  private static final Expr.Visitor<Integer> PRECEDENCE = new Expr.Visitor<>() {
    @Override
    public Integer visitLiteral(Expr.Literal literal) {
      return literalText(literal).startsWith("-") ? UNARY : PRIMARY;
    }

    @Override
    public Integer visitFunctionRef(Expr.FunctionRef reference) {
      return PRIMARY;
    }

    @Override
    public Integer visitRead(Expr.Read read) {
      return PRIMARY;
    }

    @Override
    public Integer visitConstant(Expr.Constant constant) {
      return PRIMARY;
    }

    @Override
    public Integer visitArrayRead(Expr.ArrayRead read) {
      return PRIMARY;
    }

    @Override
    public Integer visitLength(Expr.Length length) {
      return PRIMARY;
    }

    @Override
    public Integer visitUnary(Expr.Unary unary) {
      return UNARY;
    }

    @Override
    public Integer visitBinary(Expr.Binary binary) {
      return binary.operator().precedence();
    }

    @Override
    public Integer visitCast(Expr.Cast cast) {
      return CAST;
    }

    @Override
    public Integer visitConditional(Expr.Conditional conditional) {
      return CONDITIONAL;
    }

    @Override
    public Integer visitCall(Expr.Call call) {
      return PRIMARY;
    }

    @Override
    public Integer visitNewArray(Expr.NewArray array) {
      return PRIMARY;
    }

    @Override
    public Integer visitArrayLiteral(Expr.ArrayLiteral literal) {
      return PRIMARY;
    }

    @Override
    public Integer visitNewRecord(Expr.NewRecord record) {
      return PRIMARY;
    }

    @Override
    public Integer visitPop(Expr.Pop pop) {
      return PRIMARY;
    }

    @Override
    public Integer visitPartialOf(Expr.PartialOf partial) {
      return PRIMARY;
    }
  };

  static String literalText(Expr.Literal literal) {
    Object value = literal.value();
    if (value instanceof Double number) {
      return Double.toString(number);
    }
    if (value instanceof Long number) {
      return number + "L";
    }
    if (value instanceof String text) {
      return CodeBlock.of("$S", text).toString();
    }
    return String.valueOf(value);
  }

  static CodeBlock zeroOf(Type type) {
    if (type.isArray()) {
      return CodeBlock.of("null");
    }
    return switch (type.base()) {
      case DOUBLE -> CodeBlock.of("0.0");
      case INT -> CodeBlock.of("0");
      case LONG -> CodeBlock.of("0L");
      case BOOLEAN -> CodeBlock.of("false");
      case MATRIX -> CodeBlock.of("null");
      case OBJECT -> CodeBlock.of("new $T()", type.typeName());
    };
  }

  private static String kindOf(Type type) {
    if (type.isArray() || type.base() == Type.Base.MATRIX) {
      return "Reference";
    }
    return switch (type.base()) {
      case DOUBLE -> "Double";
      case INT -> "Int";
      case BOOLEAN -> "Boolean";
      case LONG -> "Long";
      default -> throw new IllegalStateException("no tape for " + type);
    };
  }
}
