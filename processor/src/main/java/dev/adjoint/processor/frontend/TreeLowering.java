package dev.adjoint.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.SourcePositions;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.JavacWillReport;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Report;
import dev.adjoint.processor.ir.BinaryOperator;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Identifiers;
import dev.adjoint.processor.ir.RecordParameter;
import dev.adjoint.processor.ir.SourcePosition;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.UnaryOperator;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Name;
import javax.lang.model.element.VariableElement;

/**
 * Lowers the body of one {@code @Differentiable} method from javac's trees into the IR, typing
 * every expression on the way (bodies are not attributed while processors run). Unsupported
 * constructs become {@link CompileError}s at their tree; lowering goes on with the next
 * statement so that every independent problem is reported once.
 */
public final class TreeLowering {
  private static final String ADJOINTS = "dev.adjoint.runtime.Adjoints";
  /** The runtime class that finds the case a String or enum selector enters. */
  private static final String SWITCH_CASES = "dev.adjoint.runtime.SwitchCases";
  private SymbolResolver symbols;
  private final CompilationUnitTree unit;
  private final SourcePositions positions;
  private final Report report;
  private final ExecutableElement method;
  /**
   * What a block declares: its variables, the names that stand for an expression (a read-only
   * enhanced-for variable is {@code array[index]}), and the array variables that share an array
   * since an assignment such as {@code h = next} (with that assignment, for messages).
   */
  private record Scope(Map<String, Variable> variables, Map<String, Expr> aliases, Map<Variable, String> sharing) {
    Scope() {
      this(new HashMap<>(), new HashMap<>(), new HashMap<>());
    }
  }

  private final Deque<Scope> scopes = new ArrayDeque<>();
  /** Enclosing loops and switches, innermost first, for break and continue without a label. */
  private final Deque<String> loops = new ArrayDeque<>();
  /** The labels in {@link #loops} that are switches, which continue passes by. */
  private final java.util.Set<String> switches = new java.util.HashSet<>();
  /** Enclosing switch expressions, innermost first, for yield. */
  private final Deque<SwitchResult> yields = new ArrayDeque<>();
  private String pendingLabel;
  private Type returnType;
  /** A record result, returned as the {@code double[]} of its leaves (null for other results). */
  private JavaTypes.RecordShape resultRecord;
  private int loopCount;
  private boolean failed;
  private final Map<Variable, RecordParameter> records = new java.util.LinkedHashMap<>();
  /** Record locals ({@code Point p = new Point(x, y)}), each taken apart into a local per component. */
  private final Map<Variable, RecordParameter.Component> recordLocals = new HashMap<>();
  /** An instance method's receiver, a data parameter; null in a static method. */
  private Variable receiver;
  /** The receiver's fields the body reads, by name, each a variable read once at the start. */
  private final Map<String, Variable> receiverFields = new java.util.LinkedHashMap<>();
  /** The receiver's fields that {@code wrt} differentiates. */
  private List<String> differentiatedFields = List.of();
  /** The record parameters that are differentiated, on which no method may be called. */
  private final java.util.Set<Variable> differentiatedRecords = new java.util.HashSet<>();
  /**
   * The integer counters declared by the initialisers of {@code for} loops, by name: a later loop's
   * counter of the same name and type is the same variable (as in Tapenade's output), so that
   * generated code says {@code j} for both; the reverse sweep saves and restores the first one's
   * value where it still needs it, as for any other overwritten variable.
   */
  private Map<String, Variable> loopCounters = new HashMap<>();
  private boolean inLoopInitializer;
  /** How the source names a record's leaf ({@code params.w1()} for the variable {@code paramsW1}), for messages. */
  private final Map<Variable, String> sourceNames = new HashMap<>();
  /**
   * The statements that the side effects of the expressions being lowered become ({@code i++} in
   * {@code a[i++]}), in Java's order of evaluation; they run just before the statement that holds them.
   */
  private List<Stmt> effects = new ArrayList<>();
  /** Helpers being run in place (inlined), innermost first: their returns leave them through {@code label}. */
  private final Deque<InPlace> inPlace = new ArrayDeque<>();
  /** Appended to the labels of an inlined helper's loops, which must not meet the caller's. */
  private String labelSuffix = "";
  /** Whether the body may write into its parameter arrays: a helper's trial, whose calls run it in place. */
  private boolean writableParameters;

  public TreeLowering(
      SymbolResolver symbols,
      CompilationUnitTree unit,
      SourcePositions positions,
      Report report,
      ExecutableElement method) {
    this.symbols = symbols;
    this.unit = unit;
    this.positions = positions;
    this.report = report;
    this.method = method;
  }

  /**
   * Lets the body write into its parameter arrays: a helper that Adjoint runs in place (see
   * {@link HelperCalls#inlinedBody}), lowered on its own only to find what stops it.
   */
  public void allowWritesIntoParameters() {
    writableParameters = true;
  }

  /** The lowered function, or null when an error was reported (or javac will report one). */
  public Function lower(MethodTree tree, List<String> differentiatedNames) {
    return lower(tree, differentiatedNames, List.of());
  }

  /**
   * The lowered function, differentiating the parameters {@code differentiatedNames} and the
   * receiver's fields {@code differentiatedFields}; null when an error was reported.
   */
  public Function lower(MethodTree tree, List<String> differentiatedNames, List<String> differentiatedFields) {
    scopes.push(new Scope());
    returnType = JavaTypes.resultToIr(method.getReturnType()).orElse(null); // null: a void helper's trial
    resultRecord = JavaTypes.recordOfDoubles(method.getReturnType()).orElse(null);
    List<Variable> parameters = new ArrayList<>();
    List<Variable> differentiated = new ArrayList<>();
    if (Receivers.hasReceiver(method)) {
      receiver = new Variable(Receivers.receiverName(method), Type.object(symbols.ownerQualifiedName()),
          Variable.Role.PARAMETER);
      parameters.add(receiver);
      this.differentiatedFields = differentiatedFields;
      for (String field : differentiatedFields) {
        Variable leaf = receiverLeaf(tree, field);
        if (leaf != null && leaf.type().isDifferentiable()) {
          differentiated.add(leaf);
        }
      }
    }
    for (VariableElement parameter : method.getParameters()) {
      String name = parameter.getSimpleName().toString();
      Optional<JavaTypes.RecordShape> shape = JavaTypes.recordShape(parameter.asType());
      if (shape.isPresent()) {
        Variable variable = new Variable(name, Type.object(shape.get().className()), Variable.Role.PARAMETER);
        parameters.add(variable);
        declare(variable);
        RecordParameter record = new RecordParameter(variable,
            component(shape.get(), null, name, name, Variable.Role.PARAMETER));
        records.put(variable, record);
        if (differentiatedNames.contains(name)) {
          differentiatedRecords.add(variable);
          record.component().leaves().stream().map(RecordParameter.Component::leaf)
              .filter(leaf -> leaf.type().isDifferentiable()).forEach(differentiated::add);
        }
        continue;
      }
      Type type = JavaTypes.parameterType(parameter.asType()).orElseThrow();
      Variable variable = new Variable(name, type, Variable.Role.PARAMETER);
      parameters.add(variable);
      declare(variable);
      if (differentiatedNames.contains(variable.name())) {
        differentiated.add(variable);
      }
    }
    Stmt.Block body = lowerBlock(tree.getBody());
    if (failed) {
      return null;
    }
    List<RecordParameter> allRecords = new ArrayList<>();
    if (receiver != null) {
      List<RecordParameter.Component> fields = new ArrayList<>();
      receiverFields.forEach((name, leaf) -> fields.add(new RecordParameter.Component(null, name, List.of(), leaf)));
      allRecords.add(new RecordParameter(receiver,
          new RecordParameter.Component(symbols.ownerQualifiedName(), null, fields, null),
          symbols.ownerIsRecord() ? RecordParameter.Kind.RECORD_RECEIVER : RecordParameter.Kind.CLASS_RECEIVER));
    }
    allRecords.addAll(records.values());
    return new Function(
        symbols.ownerQualifiedName(), method.getSimpleName().toString(), parameters,
        differentiated, returnType, body, allRecords);
  }

  /**
   * The variable holding the receiver's final field {@code name}, read once at the start like a
   * record's component (generated code treats it as a parameter); null when the owner has no such
   * field or this is a static method.
   */
  private Variable receiverLeaf(Tree tree, String name) {
    if (receiver == null) {
      return null;
    }
    Variable leaf = receiverFields.get(name);
    if (leaf == null) {
      Type type = symbols.receiverField(tree, name);
      if (type == null) {
        return null;
      }
      leaf = new Variable(name, type, Variable.Role.PARAMETER);
      sourceNames.put(leaf, "this." + name);
      receiverFields.put(name, leaf);
    }
    return leaf;
  }

  /**
   * Whether {@code call} is made on the receiver ({@code predict(t)}, {@code this.predict(t)}) while
   * fields are differentiated, whose partials through the call Adjoint cannot follow: a call that
   * returns a number, an array or a matrix may read them.
   */
  private void checkNoFieldPartialThroughCall(MethodInvocationTree call, Expr lowered) {
    if (differentiatedFields.isEmpty() || !(lowered instanceof Expr.Call made)
        || made.arguments().isEmpty() || !(made.arguments().get(0) instanceof Expr.Read read)
        || read.variable() != receiver) {
      return;
    }
    Type result = made.type();
    if (result.isIntegral() || result.equals(Type.BOOLEAN)) {
      return;
    }
    String name = made.callee().name();
    throw new CompileError(call, Message.FIELD_PARTIAL_THROUGH_CALL, name, differentiatedFields, name);
  }

  // ---------------------------------------------------------------- statements

  private Stmt.Block lowerBlock(BlockTree block) {
    scopes.push(new Scope());
    try {
      return new Stmt.Block(lowerStatements(block.getStatements()), position(block));
    } finally {
      scopes.pop();
    }
  }

  private List<Stmt> lowerStatements(List<? extends StatementTree> statements) {
    List<Stmt> lowered = new ArrayList<>();
    for (StatementTree statement : statements) {
      try {
        lowerStatement(statement, lowered);
      } catch (CompileError error) {
        failed = true;
        report.add(error);
      }
    }
    return lowered;
  }

  /** A statement as its own block, with a scope of its own (the body of an if or a loop). */
  private Stmt.Block lowerNested(StatementTree statement) {
    if (statement instanceof BlockTree block) {
      return lowerBlock(block);
    }
    scopes.push(new Scope());
    try {
      return new Stmt.Block(lowerStatements(List.of(statement)), position(statement));
    } finally {
      scopes.pop();
    }
  }

  private void lowerStatement(StatementTree statement, List<Stmt> out) {
    List<Stmt> outer = effects;
    effects = new ArrayList<>();
    int start = out.size();
    try {
      lowerStatementWithoutEffects(statement, out);
      out.addAll(start, effects);
    } finally {
      effects = outer;
    }
  }

  private void lowerStatementWithoutEffects(StatementTree statement, List<Stmt> out) {
    String label = pendingLabel;
    pendingLabel = null;
    if (label != null && !isLoop(statement)) {
      throw new CompileError(statement, Message.UNSUPPORTED_LABEL, label);
    }
    if (statement instanceof VariableTree variable) {
      if (!lowerRecordDeclaration(variable, out)) {
        out.add(lowerDeclaration(variable));
      }
    } else if (statement instanceof ExpressionStatementTree expression) {
      if (!lowerRecordAssignment(expression.getExpression(), out)) {
        Stmt lowered = lowerExpressionStatement(expression.getExpression());
        if (lowered != null) {
          out.add(lowered);
        }
      }
    } else if (statement instanceof BlockTree block) {
      out.add(lowerBlock(block));
    } else if (statement instanceof IfTree ifTree) {
      out.add(new Stmt.If(
          lowerCondition(ifTree.getCondition()),
          lowerNested(ifTree.getThenStatement()),
          ifTree.getElseStatement() == null ? Stmt.Block.empty() : lowerNested(ifTree.getElseStatement()),
          position(ifTree)));
    } else if (statement instanceof ReturnTree ret) {
      out.add(lowerReturn(ret));
    } else if (statement instanceof LabeledStatementTree labeled) {
      pendingLabel = labeled.getLabel().toString() + labelSuffix;
      lowerStatementWithoutEffects(labeled.getStatement(), out);
    } else if (statement instanceof WhileLoopTree loop) {
      out.add(lowerLoop(label, loop, loop.getCondition(), true, List.of(), loop.getStatement(), List.of()));
    } else if (statement instanceof DoWhileLoopTree loop) {
      out.add(lowerLoop(label, loop, loop.getCondition(), false, List.of(), loop.getStatement(), List.of()));
    } else if (statement instanceof ForLoopTree loop) {
      out.add(lowerLoop(label, loop, loop.getCondition(), true,
          loop.getInitializer(), loop.getStatement(), loop.getUpdate()));
    } else if (statement instanceof EnhancedForLoopTree loop) {
      out.add(lowerEnhancedFor(label, loop));
    } else if (statement instanceof SwitchTree switchTree) {
      out.add(lowerSwitch(switchTree, switchTree.getExpression(), switchTree.getCases(), null));
    } else if (statement instanceof YieldTree yield) {
      out.add(lowerYield(yield));
    } else if (statement instanceof BreakTree jump) {
      out.add(new Stmt.Break(jumpTarget(jump, jump.getLabel()), position(jump)));
    } else if (statement instanceof ContinueTree jump) {
      out.add(new Stmt.Continue(jumpTarget(jump, jump.getLabel()), position(jump)));
    } else if (statement.getKind() != Tree.Kind.EMPTY_STATEMENT) {
      throw new CompileError(statement, Message.UNSUPPORTED_STATEMENT, describe(statement));
    }
  }

  private static boolean isLoop(StatementTree statement) {
    return statement instanceof WhileLoopTree || statement instanceof DoWhileLoopTree
        || statement instanceof ForLoopTree || statement instanceof EnhancedForLoopTree
        || statement instanceof LabeledStatementTree;
  }

  private String jumpTarget(StatementTree jump, CharSequence label) {
    if (label != null) {
      String name = label.toString() + labelSuffix;
      if (!loops.contains(name)) {
        throw new CompileError(jump, Message.UNSUPPORTED_LABEL, name);
      }
      return name;
    }
    boolean isContinue = jump instanceof ContinueTree;
    for (String target : loops) {
      if (!isContinue || !switches.contains(target)) {
        return target;
      }
    }
    throw new JavacWillReport("break or continue outside a loop");
  }

  // ------------------------------------------------------------------ switch

  /** Where the yields of a switch expression go: its result variable and the switch's label. */
  private record SwitchResult(Variable variable, boolean typeGuessed, String label) {}

  /**
   * A switch over an int, lowered to an if/else chain on the selector, evaluated once. When a case
   * can fall through into the next (colon form), the chain computes which case the switch enters,
   * and each case runs if it comes at or after that one. A break (or yield) before the end of a
   * case leaves a one-trip loop around the switch.
   */
  private Stmt lowerSwitch(Tree tree, ExpressionTree selectorTree, List<? extends CaseTree> cases, SwitchResult result) {
    SourcePosition at = position(tree);
    Expr selector;
    try {
      selector = lowerExpression(selectorTree);
    } catch (CompileError error) {
      // A String or enum constant is a value of no IR type.
      throw error.kind() == Message.UNSUPPORTED_EXPRESSION ? new CompileError(selectorTree, Message.SWITCH_SELECTOR, unparenthesized(selectorTree)) : error;
    }
    java.util.function.Function<ExpressionTree, Expr> caseLabel = this::lowerCaseLabel;
    if (symbols.isDataObject(selector.type())) {
      selector = caseIndex(selector, cases, position(selectorTree));
      int[] next = {0};
      caseLabel = label -> Expr.Literal.ofInt(next[0]++);
    } else if (!selector.type().equals(Type.INT)) {
      throw new CompileError(selectorTree, Message.SWITCH_SELECTOR, unparenthesized(selectorTree));
    }
    List<Stmt> out = new ArrayList<>();
    boolean stable = selector instanceof Expr.Literal
        || selector instanceof Expr.Read read && cases.stream().noneMatch(c -> AssignmentFinder.assigns(c, read.variable().name()));
    if (!stable) {
      Variable copy = new Variable("selector", Type.INT, Variable.Role.SYNTHETIC);
      out.add(new Stmt.Declare(copy, selector, at));
      selector = new Expr.Read(copy, at);
    }
    String name = result != null ? result.label() : "switch" + (++loopCount);
    List<List<Expr>> labels = new ArrayList<>();
    List<Stmt.Block> bodies = new ArrayList<>();
    List<Boolean> fallsThrough = new ArrayList<>();
    int defaultCase = -1;
    loops.push(name);
    switches.add(name);
    scopes.push(new Scope());
    try {
      List<Expr> pending = new ArrayList<>();
      for (CaseTree caseTree : cases) {
        for (ExpressionTree label : caseTree.getExpressions()) {
          pending.add(Expr.Binary.of(BinaryOperator.EQUAL, selector, caseLabel.apply(label)));
        }
        if (caseTree.getExpressions().isEmpty()) {
          defaultCase = labels.size();
        }
        List<Stmt> body = new ArrayList<>();
        boolean completes;
        if (caseTree.getCaseKind() == CaseTree.CaseKind.RULE) {
          body.addAll(lowerRule(caseTree.getBody(), result, name));
          completes = false;
        } else {
          if (caseTree.getStatements().isEmpty()) {
            continue; // case 1: case 2: ... labels the statements of the next case
          }
          // A scope per case: the generated blocks are separate, unlike Java's one switch block.
          scopes.push(new Scope());
          try {
            body.addAll(lowerStatements(caseTree.getStatements()));
          } finally {
            scopes.pop();
          }
          StatementTree last = caseTree.getStatements().get(caseTree.getStatements().size() - 1);
          completes = !(last instanceof BreakTree || last instanceof ReturnTree || last instanceof ContinueTree
              || last instanceof YieldTree || last.getKind() == Tree.Kind.THROW);
        }
        labels.add(pending);
        pending = new ArrayList<>();
        bodies.add(new Stmt.Block(body, position(caseTree)));
        fallsThrough.add(completes);
      }
      if (!pending.isEmpty()) {
        labels.add(pending); // trailing labels without statements
        bodies.add(Stmt.Block.empty());
        fallsThrough.add(false);
      }
    } finally {
      scopes.pop();
      switches.remove(name);
      loops.pop();
    }
    boolean fallThrough = fallsThrough.subList(0, Math.max(0, fallsThrough.size() - 1)).contains(true);
    List<Stmt> chain = new ArrayList<>();
    if (!fallThrough) {
      // Each case ends the switch: a chain of ifs, default last, without the breaks that end cases.
      Stmt.Block otherwise = defaultCase < 0 ? Stmt.Block.empty() : withoutFinalBreak(bodies.get(defaultCase), name);
      for (int i = bodies.size() - 1; i >= 0; i--) {
        if (i == defaultCase) {
          continue;
        }
        otherwise = new Stmt.Block(List.of(new Stmt.If(anyOf(labels.get(i)), withoutFinalBreak(bodies.get(i), name),
            otherwise, bodies.get(i).position())));
      }
      chain.addAll(otherwise.statements());
    } else {
      Variable entry = new Variable("entry", Type.INT, Variable.Role.SYNTHETIC);
      Stmt.Block choose = new Stmt.Block(List.of(new Stmt.Assign(entry,
          Expr.Literal.ofInt(defaultCase < 0 ? bodies.size() : defaultCase), at)), at);
      for (int i = bodies.size() - 1; i >= 0; i--) {
        if (i != defaultCase) {
          choose = new Stmt.Block(List.of(new Stmt.If(anyOf(labels.get(i)),
              new Stmt.Block(List.of(new Stmt.Assign(entry, Expr.Literal.ofInt(i), at))), choose, at)));
        }
      }
      out.add(new Stmt.Declare(entry, null, at));
      out.addAll(choose.statements());
      for (int i = 0; i < bodies.size(); i++) {
        chain.add(new Stmt.If(Expr.Binary.of(BinaryOperator.LESS_EQUAL, new Expr.Read(entry, at), Expr.Literal.ofInt(i)),
            bodies.get(i), Stmt.Block.empty(), bodies.get(i).position()));
      }
    }
    if (breaksTo(chain, name)) {
      out.add(new Stmt.Loop(name, Expr.Literal.ofBoolean(false), false, new Stmt.Block(chain, at), Stmt.Block.empty(), at));
    } else {
      out.addAll(chain);
    }
    return new Stmt.Block(out, at);
  }

  private static boolean isFunctionObject(ExpressionTree tree) {
    return tree != null && (unparenthesized(tree) instanceof com.sun.source.tree.LambdaExpressionTree
        || unparenthesized(tree) instanceof com.sun.source.tree.MemberReferenceTree);
  }

  private static ExpressionTree unparenthesized(ExpressionTree tree) {
    while (tree instanceof ParenthesizedTree parenthesized) {
      tree = parenthesized.getExpression();
    }
    return tree;
  }

  /**
   * A String or enum selector as the index of the case label it equals, in the order of the labels
   * ({@code SwitchCases.indexOf(mode, "fast", "slow")}), -1 for none: the labels become 0, 1, ...
   * of a switch over an int. A null selector throws NullPointerException there, as in Java.
   */
  private Expr caseIndex(Expr selector, List<? extends CaseTree> cases, SourcePosition at) {
    List<Expr> arguments = new ArrayList<>(List.of(selector));
    for (CaseTree caseTree : cases) {
      for (ExpressionTree label : caseTree.getExpressions()) {
        ExpressionTree unwrapped = unparenthesized(label);
        // An enum's case label names its constant without the class (Java 21 also allows it with).
        Name constant = unwrapped instanceof IdentifierTree id ? id.getName()
            : unwrapped instanceof MemberSelectTree select ? select.getIdentifier() : null;
        boolean isEnum = !selector.type().equals(Type.STRING);
        if (isEnum && constant == null) {
          throw new JavacWillReport("enum case label " + label);
        }
        Expr value = isEnum ? symbols.enumConstant(label, selector.type(), constant.toString()) : lowerExpression(label);
        if (!value.type().equals(selector.type())) {
          throw new JavacWillReport("case label of type " + value.type());
        }
        arguments.add(value);
      }
    }
    List<Type> types = arguments.stream().map(Expr::type).toList();
    return new Expr.Call(Callee.Plain.of(SWITCH_CASES, "indexOf", types, Type.INT), arguments, at);
  }

  private Expr lowerCaseLabel(ExpressionTree label) {
    Expr value = lowerExpression(label);
    if (!value.type().equals(Type.INT)) {
      throw new JavacWillReport("case label of type " + value.type());
    }
    return value;
  }

  /** The body of {@code case ... ->}: an expression, a block or a throw. */
  private List<Stmt> lowerRule(Tree body, SwitchResult result, String name) {
    if (body instanceof ExpressionTree expression) {
      if (result == null) {
        Apart<Stmt> stored = apart(() -> lowerExpressionStatement(expression));
        List<Stmt> statements = new ArrayList<>(stored.effects());
        if (stored.result() != null) {
          statements.add(stored.result());
        }
        return statements;
      }
      Apart<Expr> value = apart(() -> lowerExpression(expression));
      List<Stmt> statements = new ArrayList<>(value.effects());
      statements.add(new Stmt.Assign(result.variable(), yielded(value.result(), result, expression), position(expression)));
      return statements;
    }
    return lowerNested((StatementTree) body).statements();
  }

  private Expr yielded(Expr value, SwitchResult result, Tree tree) {
    Type type = result.variable().type();
    if (result.typeGuessed() && !value.type().equals(type)) {
      throw new CompileError(tree, Message.SWITCH_EXPRESSION_TYPE, value.type());
    }
    if (type.isNumeric() != value.type().isNumeric() || value.type().isArray() || type.isArray()) {
      throw new CompileError(tree, Message.SWITCH_EXPRESSION_TYPE, value.type());
    }
    return convert(value, type, tree);
  }

  private Stmt lowerYield(YieldTree yield) {
    SwitchResult result = yields.peek();
    if (result == null) {
      throw new JavacWillReport("yield outside a switch expression");
    }
    SourcePosition at = position(yield);
    Expr value = yielded(lowerExpression(yield.getValue()), result, yield.getValue());
    return new Stmt.Block(List.of(new Stmt.Assign(result.variable(), value, at), new Stmt.Break(result.label(), at)), at);
  }

  /**
   * A switch expression: its statements run as effects before the expression that holds it, and
   * its value is a local. Its type is that of the variable or return it initialises; elsewhere
   * Adjoint assumes double, and asks for a typed local when a case yields something else.
   */
  private Expr lowerSwitchExpression(SwitchExpressionTree tree, Type expected) {
    SourcePosition at = position(tree);
    Type type = expected != null && !expected.isArray() ? expected : Type.DOUBLE;
    Variable value = new Variable("switched", type, Variable.Role.LOCAL);
    SwitchResult result = new SwitchResult(value, expected == null, "switch" + (++loopCount));
    yields.push(result);
    Stmt lowered;
    try {
      lowered = lowerSwitch(tree, tree.getExpression(), tree.getCases(), result);
    } finally {
      yields.pop();
    }
    effects.add(new Stmt.Declare(value, null, at));
    effects.add(lowered);
    return new Expr.Read(value, at);
  }

  private static Expr anyOf(List<Expr> tests) {
    Expr any = null;
    for (Expr test : tests) {
      any = any == null ? test : new Expr.Binary(BinaryOperator.OR, any, test, Type.BOOLEAN, test.position());
    }
    return any;
  }

  private static Stmt.Block withoutFinalBreak(Stmt.Block body, String label) {
    List<Stmt> statements = new ArrayList<>(body.statements());
    while (!statements.isEmpty()) {
      Stmt last = statements.get(statements.size() - 1);
      if (last instanceof Stmt.Break jump && jump.loopLabel().equals(label)) {
        statements.remove(statements.size() - 1);
      } else if (last instanceof Stmt.Block block) {
        statements.set(statements.size() - 1, withoutFinalBreak(block, label));
        break;
      } else {
        break;
      }
    }
    return new Stmt.Block(statements, body.position());
  }

  private static boolean breaksTo(List<Stmt> statements, String label) {
    for (Stmt statement : statements) {
      if (statement instanceof Stmt.Break jump && jump.loopLabel().equals(label)
          || breaksTo(dev.adjoint.processor.ir.Stmts.children(statement), label)) {
        return true;
      }
    }
    return false;
  }

  private Stmt lowerLoop(
      String label,
      StatementTree tree,
      ExpressionTree condition,
      boolean testFirst,
      List<? extends StatementTree> initializer,
      StatementTree body,
      List<? extends ExpressionStatementTree> update) {
    scopes.push(new Scope());
    try {
      inLoopInitializer = true;
      List<Stmt> init;
      try {
        init = lowerStatements(initializer);
      } finally {
        inLoopInitializer = false;
      }
      String name = label != null ? label : "loop" + (++loopCount);
      Apart<Expr> test = condition == null ? new Apart<>(Expr.Literal.ofBoolean(true), List.of())
          : apart(() -> lowerCondition(condition));
      loops.push(name);
      Stmt.Block loweredBody;
      try {
        loweredBody = lowerNested(body);
      } finally {
        loops.pop();
      }
      List<Stmt> updates = new ArrayList<>();
      for (ExpressionStatementTree step : update) {
        Apart<Stmt> stored = apart(() -> lowerExpressionStatement(step.getExpression()));
        updates.addAll(stored.effects());
        if (stored.result() != null) {
          updates.add(stored.result());
        }
      }
      Expr loopCondition = test.result();
      if (!test.effects().isEmpty()) {
        // Java runs the condition's side effects on every test, the last, failing one included.
        SourcePosition at = position(condition);
        List<Stmt> guard = new ArrayList<>(test.effects());
        if (testFirst) {
          guard.add(new Stmt.If(new Expr.Unary(UnaryOperator.NOT, test.result(), at),
              new Stmt.Block(List.of(new Stmt.Break(name, at))), Stmt.Block.empty(), at));
          guard.addAll(loweredBody.statements());
          loweredBody = new Stmt.Block(guard, loweredBody.position());
          loopCondition = Expr.Literal.ofBoolean(true);
        } else {
          // do-while: the test runs after the body and after a continue, where an update runs.
          Variable again = new Variable("again", Type.BOOLEAN, Variable.Role.SYNTHETIC);
          init.add(new Stmt.Declare(again, Expr.Literal.ofBoolean(true), at));
          guard.add(new Stmt.Assign(again, test.result(), at));
          updates.addAll(guard);
          loopCondition = new Expr.Read(again, at);
        }
      }
      Stmt loop = new Stmt.Loop(name, loopCondition, testFirst, loweredBody, new Stmt.Block(updates), position(tree));
      if (init.isEmpty()) {
        return loop;
      }
      init.add(loop);
      return new Stmt.Block(init, position(tree));
    } finally {
      scopes.pop();
    }
  }

  /** {@code for (T v : array) body} becomes a counted loop over the array's indices. */
  private Stmt lowerEnhancedFor(String label, EnhancedForLoopTree loop) {
    Expr array = lowerExpression(loop.getExpression());
    if (!array.type().isArray()) {
      throw new CompileError(loop.getExpression(), Message.UNSUPPORTED_EXPRESSION,
          "an enhanced for over something other than an array");
    }
    SourcePosition at = position(loop);
    List<Stmt> before = new ArrayList<>();
    if (!(array instanceof Expr.Read || array instanceof Expr.ArrayRead || array instanceof Expr.Constant)) {
      // Java evaluates the array once: a new array or a call's result goes into a local first.
      checkArrayValue(array, loop.getExpression());
      Variable iterated = new Variable("iterated", array.type(), Variable.Role.LOCAL);
      before.add(new Stmt.Declare(iterated, copyNamedRows(iterated, array, loop.getExpression().toString()),
          position(loop.getExpression())));
      array = new Expr.Read(iterated, at);
    }
    scopes.push(new Scope());
    try {
      Variable index = new Variable("index", Type.INT, Variable.Role.SYNTHETIC);
      String name = label != null ? label : "loop" + (++loopCount);
      Expr current = new Expr.ArrayRead(array, new Expr.Read(index), at);
      String elementName = loop.getVariable().getName().toString();
      List<Stmt> bodyWithElement = new ArrayList<>();
      // A row (an array) is shared with the loop variable in Java too; a number is copied, which an
      // alias matches only while nothing in the body writes array elements.
      boolean copied = !array.type().element().isArray() && AssignmentFinder.writesArrays(loop.getStatement());
      if (AssignmentFinder.assigns(loop.getStatement(), elementName) || copied) {
        // The body changes its copy of the element, or may change the array: a variable of its own.
        Variable element = declareLocal(loop.getVariable(), array.type().element());
        if (element.type().isArray()) {
          throw new CompileError(loop.getVariable(), Message.ARRAY_ALIAS, "assigning to an array loop variable");
        }
        bodyWithElement.add(new Stmt.Declare(element, current, at));
      } else {
        // A read-only loop variable is another name for array[index]; reverse mode then needs
        // to record nothing for it.
        scopes.peek().aliases().put(elementName, current);
      }
      loops.push(name);
      Stmt.Block body;
      try {
        body = lowerNested(loop.getStatement());
      } finally {
        loops.pop();
      }
      bodyWithElement.addAll(body.statements());
      Expr condition = Expr.Binary.of(BinaryOperator.LESS, new Expr.Read(index), new Expr.Length(array, at));
      Stmt increment = new Stmt.Assign(index,
          Expr.Binary.of(BinaryOperator.ADD, new Expr.Read(index), Expr.Literal.ofInt(1)), at);
      before.add(new Stmt.Declare(index, Expr.Literal.ofInt(0), at));
      before.add(new Stmt.Loop(name, condition, true, new Stmt.Block(bodyWithElement, at),
          new Stmt.Block(List.of(increment)), at));
      return new Stmt.Block(before, at);
    } finally {
      scopes.pop();
    }
  }

  private Stmt lowerDeclaration(VariableTree tree) {
    if (isFunctionObject(tree.getInitializer())) {
      throw new CompileError(tree.getInitializer(), Message.FUNCTION_OBJECT, describe(tree.getInitializer()),
          Message.CALL_A_STATIC_METHOD);
    }
    Type declared = tree.getType() == null || isVar(tree.getType()) ? null : typeOf(tree.getType(), tree);
    Expr init = null;
    if (tree.getInitializer() != null) {
      init = lowerInitializer(tree.getInitializer(), declared);
    }
    Type type = declared != null ? declared : (init != null ? init.type() : null);
    if (type == null) {
      throw new JavacWillReport("var without initializer");
    }
    checkArrayValue(init, tree.getInitializer());
    Variable variable = declareLocal(tree, type);
    if (init != null) {
      init = convert(init, type, tree.getInitializer());
      if (type.isArray()) {
        trackSharing(variable, init, tree, tree.toString());
        init = copyNamedRows(variable, init, tree.toString());
      }
    }
    return new Stmt.Declare(variable, init, position(tree));
  }

  private Variable declareLocal(VariableTree tree, Type type) {
    Type declared = tree.getType() == null || isVar(tree.getType()) ? type : typeOf(tree.getType(), tree);
    String name = tree.getName().toString();
    Variable counter = loopCounters.get(name);
    boolean sameCounter = inLoopInitializer && counter != null && counter.type().equals(declared)
        && lookup(name) == null;
    Variable variable = sameCounter ? counter : new Variable(name, declared, Variable.Role.LOCAL);
    if (inLoopInitializer && declared.isIntegral()) {
      loopCounters.putIfAbsent(name, variable);
    }
    declare(variable);
    return variable;
  }

  private static boolean isVar(Tree type) {
    return type instanceof IdentifierTree id && id.getName().contentEquals("var");
  }

  private Expr lowerInitializer(ExpressionTree init, Type expected) {
    if (init instanceof NewArrayTree array && array.getType() == null) {
      if (expected == null || !expected.isArray()) {
        throw new JavacWillReport("array initializer without an array type");
      }
      return lowerArrayLiteral(array, expected);
    }
    if (unparenthesized(init) instanceof SwitchExpressionTree switchExpression) {
      return lowerSwitchExpression(switchExpression, expected);
    }
    return lowerExpression(init);
  }

  /**
   * Array variables hold fresh arrays (new, an initialiser, a call) or another local array; a
   * parameter's array would give the caller's data a second name, which reverse mode cannot follow.
   */
  private static void checkArrayValue(Expr value, ExpressionTree tree) {
    if (value == null || !value.type().isArray()) {
      return;
    }
    boolean fresh = value instanceof Expr.NewArray || value instanceof Expr.ArrayLiteral || value instanceof Expr.Call;
    boolean local = value instanceof Expr.Read read && !read.variable().isParameter();
    if (!fresh && !local) {
      throw new CompileError(tree, Message.ARRAY_ALIAS, "giving a parameter's array, or a row of one, a second name");
    }
  }

  private Stmt lowerReturn(ReturnTree tree) {
    if (!inPlace.isEmpty()) {
      // Leaves the helper run in place, with its result in the call's local.
      InPlace helper = inPlace.peek();
      SourcePosition at = position(tree);
      List<Stmt> leave = new ArrayList<>();
      if (helper.result() != null && tree.getExpression() != null) {
        leave.add(new Stmt.Assign(helper.result(), returned(tree), at));
      }
      leave.add(new Stmt.Break(helper.label(), at));
      return new Stmt.Block(leave, at);
    }
    if (tree.getExpression() == null) {
      if (returnType == null) {
        return Stmt.Block.empty(); // a void helper lowered on its own, only to find what stops it
      }
      throw new JavacWillReport("return without value");
    }
    if (resultRecord != null) {
      List<Expr> leaves = new ArrayList<>();
      lowerRecordValue(tree.getExpression(), resultRecord, leaves, true);
      return new Stmt.Return(new Expr.ArrayLiteral(Type.DOUBLE_ARRAY, leaves, position(tree.getExpression())),
          position(tree));
    }
    return new Stmt.Return(returned(tree), position(tree));
  }

  /** The value a return statement gives, of the method's type. */
  private Expr returned(ReturnTree tree) {
    Expr value = lowerInitializer(tree.getExpression(), returnType);
    if (returnType.isArray()) {
      checkArrayValue(value, tree.getExpression());
    } else if (returnType.base() == Type.Base.MATRIX) {
      if (!value.type().equals(returnType)) {
        throw new JavacWillReport("return of a non-matrix");
      }
      return value;
    } else if (!value.type().isNumeric()) {
      throw new JavacWillReport("return of a non-number");
    }
    return convert(value, returnType, tree.getExpression());
  }

  /**
   * An expression as a statement: a store, or a call of a helper that runs in place (null: its
   * statements are all in {@link #effects}).
   */
  private Stmt lowerExpressionStatement(ExpressionTree expression) {
    if (unparenthesized(expression) instanceof MethodInvocationTree call) {
      lowerCall(call, position(call), true);
      return null;
    }
    return lowerStore(expression, false).statement();
  }

  /** A store (assignment, compound assignment, increment) and the value Java gives it as an expression. */
  private record Store(Stmt statement, Expr value) {}

  /**
   * Lowers an assignment, a compound assignment or an increment. The target's array and index are
   * evaluated first, then the value, as in Java. With {@code valueUsed}, a postfix increment keeps the
   * old value in a local of its own.
   */
  private Store lowerStore(ExpressionTree expression, boolean valueUsed) {
    SourcePosition at = position(expression);
    if (expression instanceof AssignmentTree assignment) {
      Target target = lowerTarget(assignment.getVariable());
      List<Expr> operands = new ArrayList<>(target.operands());
      Expr value = after(operands, () -> lowerInitializer(assignment.getExpression(),
          target.variable() == null ? target.array().type().element() : target.variable().type()));
      Target stable = target.with(operands);
      return new Store(store(stable, value, assignment.getExpression(), at), stable.read(at));
    }
    if (expression instanceof CompoundAssignmentTree compound) {
      BinaryOperator operator = switch (compound.getKind()) {
        case PLUS_ASSIGNMENT -> BinaryOperator.ADD;
        case MINUS_ASSIGNMENT -> BinaryOperator.SUBTRACT;
        case MULTIPLY_ASSIGNMENT -> BinaryOperator.MULTIPLY;
        case DIVIDE_ASSIGNMENT -> BinaryOperator.DIVIDE;
        case REMAINDER_ASSIGNMENT -> BinaryOperator.REMAINDER;
        default -> throw new CompileError(compound, Message.UNSUPPORTED_STATEMENT,
            "the compound assignment " + operatorOf(compound) + "= in `" + compound + "`");
      };
      Target target = lowerTarget(compound.getVariable());
      List<Expr> operands = new ArrayList<>(target.operands());
      operands.add(target.read(at));
      Expr operand = after(operands, () -> lowerExpression(compound.getExpression()));
      Expr current = operands.remove(operands.size() - 1);
      Target stable = target.with(operands);
      Expr result = arithmetic(operator, current, operand, compound);
      if (!Type.promote(current.type(), result.type()).equals(current.type())) {
        result = new Expr.Cast(current.type(), result, at); // k += x narrows implicitly, as Java does
      }
      return new Store(store(stable, result, compound, at), stable.read(at));
    }
    if (expression instanceof UnaryTree unary && isIncrement(unary)) {
      boolean up = unary.getKind() == Tree.Kind.POSTFIX_INCREMENT
          || unary.getKind() == Tree.Kind.PREFIX_INCREMENT;
      boolean postfix = unary.getKind() == Tree.Kind.POSTFIX_INCREMENT
          || unary.getKind() == Tree.Kind.POSTFIX_DECREMENT;
      Target target = lowerTarget(unary.getExpression());
      Expr current = target.read(at);
      Expr value = current;
      if (postfix && valueUsed) {
        Variable old = new Variable("old" + Identifiers.capitalize(target.name()), current.type(), Variable.Role.SYNTHETIC);
        effects.add(new Stmt.Declare(old, current, at));
        current = new Expr.Read(old, at);
        value = current;
      }
      Expr step = arithmetic(up ? BinaryOperator.ADD : BinaryOperator.SUBTRACT, current,
          Expr.Literal.ofInt(1), unary);
      return new Store(store(target, step, unary, at), value);
    }
    throw new CompileError(expression, Message.UNSUPPORTED_STATEMENT,
        describe(expression) + " as a statement of its own");
  }

  private static boolean isIncrement(UnaryTree unary) {
    return switch (unary.getKind()) {
      case POSTFIX_INCREMENT, PREFIX_INCREMENT, POSTFIX_DECREMENT, PREFIX_DECREMENT -> true;
      default -> false;
    };
  }

  /**
   * What a store writes: a local variable, or an element of a local array, whose array and index
   * are evaluated once, before the value.
   */
  private record Target(ExpressionTree tree, Variable variable, Expr array, Expr index) {
    List<Expr> operands() {
      return variable != null ? List.of() : List.of(array, index);
    }

    Target with(List<Expr> operands) {
      return variable != null ? this : new Target(tree, null, operands.get(0), operands.get(1));
    }

    Expr read(SourcePosition at) {
      return variable != null ? new Expr.Read(variable, at) : new Expr.ArrayRead(array, index, at);
    }

    String name() {
      Variable root = variable != null ? variable : Exprs.rootOf(array);
      return root == null ? "value" : root.name();
    }
  }

  private Target lowerTarget(ExpressionTree target) {
    if (target instanceof ParenthesizedTree parenthesized) {
      return lowerTarget(parenthesized.getExpression());
    }
    if (target instanceof IdentifierTree id) {
      Variable variable = lookup(id.getName().toString());
      if (variable == null) {
        if (!symbols.isField(id.getName().toString())) {
          throw new CompileError(target, Message.UNRESOLVED_NAME, "the variable " + id.getName());
        }
        throw new CompileError(target, Message.FIELD_WRITE, id.getName());
      }
      return new Target(target, variable, null, null);
    }
    if (target instanceof ArrayAccessTree access) {
      Expr array = lowerExpression(access.getExpression());
      Variable root = Exprs.rootOf(array);
      if (root == null) {
        throw new CompileError(target, Message.COMPUTED_ARRAY_ELEMENT, target);
      }
      if (root.isParameter() && !writableParameters) {
        throw new CompileError(target, Message.PARAMETER_ARRAY_WRITE, sourceName(root));
      }
      checkNotShared(root, target);
      List<Expr> operands = new ArrayList<>(List.of(array));
      Expr index = after(operands, () -> lowerIndex(access.getIndex()));
      if (array.type().element().isArray()) {
        throw new CompileError(target, Message.ARRAY_ALIAS, "storing an array into an array");
      }
      return new Target(target, null, operands.get(0), index);
    }
    throw new CompileError(target, Message.FIELD_WRITE, target);
  }

  private Stmt store(Target target, Expr value, Tree valueTree, SourcePosition at) {
    Variable variable = target.variable();
    if (variable == null) {
      return new Stmt.ArrayAssign(target.array(), target.index(),
          convert(value, target.array().type().element(), valueTree), at);
    }
    if (variable.type().isArray()) {
      String statement = target.tree() + " = " + valueTree;
      if (variable.isParameter()) {
        throw new CompileError(target.tree(), Message.PARAMETER_ARRAY_REASSIGNED, statement, variable.name());
      }
      checkArrayValue(value, (ExpressionTree) valueTree);
      trackSharing(variable, value, valueTree, statement);
      value = copyNamedRows(variable, value, statement);
    }
    return new Stmt.Assign(variable, convert(value, variable.type(), valueTree), at);
  }

  // ------------------------------------------------------ order of evaluation

  /** What an expression lowered apart needs to run first ({@link #effects}), and its result. */
  private record Apart<T>(T result, List<Stmt> effects) {}

  /** Lowers with effects of its own, for a part of an expression that Java may not evaluate. */
  private <T> Apart<T> apart(java.util.function.Supplier<T> lowering) {
    List<Stmt> outer = effects;
    effects = new ArrayList<>();
    try {
      T result = lowering.get();
      return new Apart<>(result, effects);
    } finally {
      effects = outer;
    }
  }

  /** Lowers operands left to right, as Java evaluates them (see {@link #after}). */
  private List<Expr> lowerInOrder(List<? extends ExpressionTree> trees) {
    List<Expr> values = new ArrayList<>();
    for (ExpressionTree tree : trees) {
      values.add(after(values, () -> lowerExpression(tree)));
    }
    return values;
  }

  /**
   * Lowers an operand that Java evaluates after {@code earlier}: when its side effects could change
   * the value of an earlier operand ({@code k + (k = 2)}), that operand is copied into a local
   * first, in place in {@code earlier}.
   */
  private Expr after(List<Expr> earlier, java.util.function.Supplier<Expr> later) {
    int mark = effects.size();
    Expr value = later.get();
    if (effects.size() == mark || earlier.isEmpty()) {
      return value;
    }
    Writes writes = Writes.of(effects.subList(mark, effects.size()));
    List<Stmt> copies = new ArrayList<>();
    for (int i = 0; i < earlier.size(); i++) {
      earlier.set(i, stable(earlier.get(i), writes, copies));
    }
    effects.addAll(mark, copies);
    return value;
  }

  /**
   * {@code operand}, or a copy of it declared by {@code copies} when {@code writes} could change it
   * (a record's components one by one).
   */
  private static Expr stable(Expr operand, Writes writes, List<Stmt> copies) {
    boolean changes = writes.couldChange(operand);
    // A call of unknown purity in an earlier operand runs before the effects in Java, and may
    // change what they read: it runs first here too, into a local.
    if (!changes && !Writes.callsOpaque(operand)) {
      return operand;
    }
    if (operand instanceof Expr.NewRecord record) {
      return Exprs.mapChildren(record, component -> stable(component, writes, copies));
    }
    return copied(operand, changes, copies);
  }

  /** A local holding {@code operand}'s value now, declared by {@code copies}. */
  private static Expr copied(Expr operand, boolean changed, List<Stmt> copies) {
    Variable array = Exprs.rootOf(operand);
    // An array changed by the effects cannot be kept as it was; a call's new array can.
    if (operand.type().isArray() && (changed || array != null)) {
      throw new CompileError(operand.position().tree(), Message.ASSIGNMENT_IN_EXPRESSION,
          array == null ? operand.position().tree() : array.name());
    }
    Variable root = operand instanceof Expr.Read read ? read.variable() : null;
    Variable copy = new Variable(root == null ? "operand" : "old" + Identifiers.capitalize(root.name()),
        operand.type(), Variable.Role.LOCAL);
    copies.add(new Stmt.Declare(copy, operand, operand.position()));
    return new Expr.Read(copy, operand.position());
  }

  /** What side-effect statements write: variables, and whether array elements or calls may change what is read. */
  private record Writes(java.util.Set<Variable> variables, boolean memory) {
    static Writes of(List<Stmt> statements) {
      java.util.Set<Variable> variables = new java.util.HashSet<>();
      boolean[] memory = {false};
      statements.forEach(statement -> collect(statement, variables, memory));
      return new Writes(variables, memory[0]);
    }

    private static void collect(Stmt statement, java.util.Set<Variable> variables, boolean[] memory) {
      statement.accept(new Stmts.ByAssignment<Void>() {
        @Override
        protected Void assignment(Stmt assignment) {
          Expr value = Activity.valueOf(assignment);
          memory[0] |= value != null && contains(value, Expr.Call.class);
          if (assignment instanceof Stmt.ArrayAssign) {
            memory[0] = true;
          } else if (Stmts.declared(List.of(assignment)).isEmpty()) {
            variables.add(Activity.targetOf(assignment)); // an assignment, not a declaration
          }
          return null;
        }

        @Override
        protected Void otherLeaf(Stmt leaf) {
          return null; // jumps write nothing
        }

        @Override
        public Void visitBlock(Stmt.Block block) {
          block.statements().forEach(child -> child.accept(this));
          return null;
        }

        @Override
        public Void visitIf(Stmt.If ifStmt) {
          memory[0] |= contains(ifStmt.condition(), Expr.Call.class);
          ifStmt.thenBlock().accept(this);
          ifStmt.elseBlock().accept(this);
          return null;
        }

        @Override
        public Void visitLoop(Stmt.Loop loop) {
          memory[0] |= contains(loop.condition(), Expr.Call.class);
          loop.body().accept(this);
          loop.update().accept(this);
          return null;
        }
      });
    }

    /** Whether running the statements could change the value of {@code expr}. */
    boolean couldChange(Expr expr) {
      if (expr instanceof Expr.Literal || expr instanceof Expr.Constant) {
        return false;
      }
      if (Exprs.variablesRead(expr).stream().anyMatch(variables::contains)) {
        return true;
      }
      // A row is the same array whatever is stored into its elements; a number read from an array
      // or returned by a call may not be.
      return memory && !expr.type().isArray()
          && (contains(expr, Expr.ArrayRead.class) || contains(expr, Expr.Call.class));
    }

    private static boolean contains(Expr expr, Class<? extends Expr> kind) {
      return kind.isInstance(expr) || Exprs.children(expr).stream().anyMatch(child -> contains(child, kind));
    }

    /** Whether {@code expr} makes a call of unknown purity. */
    static boolean callsOpaque(Expr expr) {
      return expr instanceof Expr.Call call && call.callee() instanceof Callee.Opaque
          || Exprs.children(expr).stream().anyMatch(Writes::callsOpaque);
    }
  }

  // --------------------------------------------------------------- expressions

  private Expr lowerCondition(ExpressionTree tree) {
    Expr condition = lowerExpression(tree);
    if (!condition.type().equals(Type.BOOLEAN)) {
      throw new JavacWillReport("non-boolean condition");
    }
    return condition;
  }

  Expr lowerExpression(ExpressionTree tree) {
    SourcePosition at = position(tree);
    if (tree instanceof ParenthesizedTree parenthesized) {
      return lowerExpression(parenthesized.getExpression());
    }
    // A record is read through its accessors, passed to calls or copied whole, and is never a value of its own.
    RecordParameter.Component component = recordComponent(tree);
    if (component != null) {
      if (!component.isLeaf()) {
        throw new CompileError(tree, Message.RECORD_VALUE, tree, simpleName(component.className()));
      }
      return new Expr.Read(component.leaf(), at);
    }

    if (tree instanceof LiteralTree literal) {
      return lowerLiteral(literal, at);
    }
    if (tree instanceof IdentifierTree id) {
      Expr alias = lookupAlias(id.getName().toString());
      if (alias != null) {
        return alias;
      }
      Variable variable = lookup(id.getName().toString());
      if (variable == null && receiver != null && SymbolResolver.isThis(id)) {
        throw new CompileError(id, Message.UNSUPPORTED_EXPRESSION,
            "`this` as a value (read its fields and call its methods directly)");
      }
      if (variable == null) {
        variable = receiverLeaf(id, id.getName().toString());
      }
      return variable != null ? new Expr.Read(variable, at) : symbols.constant(id, null, id.getName().toString());
    }
    if (tree instanceof MemberSelectTree select) {
      return lowerMemberSelect(select, at);
    }
    if (tree instanceof ArrayAccessTree access) {
      List<Expr> operands = new ArrayList<>(List.of(lowerExpression(access.getExpression())));
      if (!operands.get(0).type().isArray()) {
        throw new JavacWillReport("indexing a non-array");
      }
      Expr index = after(operands, () -> lowerIndex(access.getIndex()));
      return new Expr.ArrayRead(operands.get(0), index, at);
    }
    if (tree instanceof BinaryTree binary) {
      return lowerBinary(binary, at);
    }
    if (tree instanceof AssignmentTree || tree instanceof CompoundAssignmentTree
        || tree instanceof UnaryTree increment && isIncrement(increment)) {
      Store store = lowerStore(tree, true);
      effects.add(store.statement());
      return store.value();
    }
    if (tree instanceof UnaryTree unary) {
      return lowerUnary(unary, at);
    }
    if (tree instanceof TypeCastTree cast) {
      Type to = typeOf(cast.getType(), cast);
      Expr operand = lowerExpression(cast.getExpression());
      if (!to.isNumeric() || !operand.type().isNumeric()) {
        throw new CompileError(cast, Message.UNSUPPORTED_EXPRESSION, "a cast to " + cast.getType());
      }
      if (to.equals(operand.type()) && cast.getType() instanceof PrimitiveTypeTree primitive
          && primitive.getPrimitiveTypeKind() == javax.lang.model.type.TypeKind.FLOAT) {
        return operand; // (float) x on a double: widened back, nothing to convert
      }
      return new Expr.Cast(to, operand, at);
    }
    if (tree instanceof ConditionalExpressionTree conditional) {
      return lowerConditional(conditional, at);
    }
    if (tree instanceof MethodInvocationTree call) {
      Expr value = lowerCall(call, at, false);
      if (value == null) {
        throw new JavacWillReport("the result of a void method used as a value");
      }
      Optional<JavaTypes.RecordShape> record = symbols.recordResultOf(call);
      if (record.isPresent()) {
        throw new CompileError(call, Message.RECORD_VALUE, call, simpleName(record.get().className()));
      }
      return value;
    }
    if (tree instanceof NewArrayTree array) {
      return lowerNewArray(array, at);
    }
    if (tree instanceof SwitchExpressionTree switchExpression) {
      return lowerSwitchExpression(switchExpression, null);
    }
    if (isFunctionObject(tree)) {
      throw new CompileError(tree, Message.FUNCTION_OBJECT, describe(tree), Message.CALL_A_STATIC_METHOD);
    }
    throw new CompileError(tree, Message.UNSUPPORTED_EXPRESSION, describe(tree));
  }

  /**
   * A call, its receiver and arguments lowered in Java's order of evaluation. A static helper that
   * Adjoint runs in place gives its result's local (null when it is void); as a statement, only such
   * a helper's call is supported.
   */
  private Expr lowerCall(MethodInvocationTree call, SourcePosition at, boolean statement) {
    Variable componentRead = receiverComponentRead(call);
    if (componentRead != null && !statement) {
      return new Expr.Read(componentRead, at);
    }
    Variable record = recordCalledOn(call);
    Expr calledOn = record != null ? new Expr.Read(record, at) : receiverOf(call);
    List<Expr> arguments = new ArrayList<>();
    if (calledOn != null) {
      arguments.add(calledOn);
    }
    for (ExpressionTree argument : call.getArguments()) {
      // A function object is data: the call's overload says what it must be (SymbolResolver.call).
      arguments.add(calledOn == null && isFunctionObject(argument)
          ? Expr.FunctionRef.unresolved(position(unparenthesized(argument)))
          : after(arguments, () -> lowerArgument(argument)));
    }
    if (calledOn == null) {
      SymbolResolver.Inlined helper = symbols.inlined(call, arguments.stream().map(Expr::type).toList());
      if (helper != null) {
        return runInPlace(call, helper, arguments, at);
      }
    }
    if (statement) {
      throw new CompileError(call, Message.UNSUPPORTED_STATEMENT, describe(call) + " as a statement of its own");
    }
    if (record != null) {
      return symbols.callOnRecord(call, records.get(record).component().className(), arguments, at);
    }
    if (calledOn != null) {
      return symbols.instanceCall(call, arguments.remove(0), arguments, at);
    }
    Expr lowered = symbols.call(call, arguments, at, receiver == null ? null : new Expr.Read(receiver, at));
    checkNoFieldPartialThroughCall(call, lowered);
    return lowered;
  }

  /** A helper run in place: its result's local (or null), and the label its returns break out of. */
  private record InPlace(ExecutableElement helper, Variable result, String label) {}

  /**
   * Runs a helper that writes into arrays it is given (or returns nothing) in place, as effects of
   * the expression that calls it: its array parameters name the caller's arrays themselves (so that
   * its writes are the caller's writes, also when two arguments are one array), its other
   * parameters are locals holding the arguments, and its returns leave a one-trip loop.
   */
  private Expr runInPlace(MethodInvocationTree call, SymbolResolver.Inlined inlined, List<Expr> arguments,
      SourcePosition at) {
    ExecutableElement helper = inlined.method();
    String name = helper.getEnclosingElement().getSimpleName() + "." + helper.getSimpleName();
    for (InPlace outer : inPlace) {
      if (outer.helper().equals(helper)) {
        throw new CompileError(call, Message.IN_PLACE_HELPER_RECURSIVE, name,
            inPlace.peek().helper().getEnclosingElement().getSimpleName() + "." + inPlace.peek().helper().getSimpleName());
      }
    }
    if (inlined.body().unit() != unit) {
      throw new CompileError(call, Message.IN_PLACE_HELPER_ELSEWHERE, name);
    }
    MethodTree tree = inlined.body().tree();
    java.util.Set<String> written = AssignmentFinder.writtenParameterArrays(helper, tree.getBody());
    Scope parameters = new Scope();
    List<Stmt> body = new ArrayList<>();
    for (int i = 0; i < arguments.size(); i++) {
      String parameter = helper.getParameters().get(i).getSimpleName().toString();
      ExpressionTree argumentTree = call.getArguments().get(i);
      Type type = JavaTypes.toIr(helper.getParameters().get(i).asType()).orElseThrow(() -> new CompileError(
          argumentTree, Message.UNSUPPORTED_CALL, name + " (a helper that writes into arrays it is given is run in place,"
          + " and its parameter " + parameter + " is not a number or an array)"));
      Expr argument = convert(arguments.get(i), type, argumentTree);
      boolean reassigned = AssignmentFinder.assigns(tree.getBody(), parameter);
      if (type.isArray() && argument instanceof Expr.Read read && !reassigned) {
        Variable array = read.variable();
        if (written.contains(parameter)) {
          if (array.isParameter() && !writableParameters) {
            throw new CompileError(argumentTree, Message.OUT_ARRAY_IS_PARAMETER, name, parameter, sourceName(array),
                sourceName(array));
          }
          checkNotShared(array, argumentTree);
        }
        parameters.variables().put(parameter, array); // the caller's array itself
        continue;
      }
      if (type.isArray()) {
        checkArrayValue(argument, argumentTree);
      }
      Variable local = new Variable(parameter, type, Variable.Role.LOCAL);
      parameters.variables().put(parameter, local);
      if (argument instanceof Expr.Read read && type.isArray()) {
        // A parameter the helper re-assigns: a second name for the caller's array, never written through.
        parameters.sharing().put(local, call.toString());
      }
      body.add(new Stmt.Declare(local, argument, position(argumentTree)));
    }
    Deque<Scope> callerScopes = new ArrayDeque<>(scopes);
    Deque<String> callerLoops = new ArrayDeque<>(loops);
    Deque<SwitchResult> callerYields = new ArrayDeque<>(yields);
    Map<String, Variable> callerCounters = loopCounters;
    Type callerReturnType = returnType;
    SymbolResolver callerSymbols = symbols;
    Variable callerReceiver = receiver; // the helper is static: no receiver in its body
    String callerSuffix = labelSuffix;
    String label = helper.getSimpleName() + "Call" + (++loopCount);
    Type resultType = JavaTypes.toIr(helper.getReturnType()).orElse(null);
    Variable result = resultType == null ? null : new Variable(helper.getSimpleName().toString(), resultType,
        Variable.Role.LOCAL);
    scopes.clear();
    scopes.push(parameters);
    loops.clear();
    yields.clear();
    loopCounters = new HashMap<>();
    returnType = resultType;
    symbols = inlined.symbols();
    receiver = null;
    labelSuffix = callerSuffix + Identifiers.capitalize(label);
    inPlace.push(new InPlace(helper, result, label));
    try {
      body.addAll(lowerBlock(tree.getBody()).statements());
    } finally {
      inPlace.pop();
      scopes.clear();
      scopes.addAll(callerScopes);
      loops.clear();
      loops.addAll(callerLoops);
      yields.clear();
      yields.addAll(callerYields);
      loopCounters = callerCounters;
      returnType = callerReturnType;
      symbols = callerSymbols;
      receiver = callerReceiver;
      labelSuffix = callerSuffix;
    }
    Stmt.Block block = withoutFinalBreak(new Stmt.Block(body, at), label);
    if (result != null) {
      effects.add(new Stmt.Declare(result, null, at));
    }
    effects.add(breaksTo(block.statements(), label)
        ? new Stmt.Loop(label, Expr.Literal.ofBoolean(false), false, block, Stmt.Block.empty(), at) : block);
    return result == null ? null : new Expr.Read(result, at);
  }

  /** A record's structure with a leaf variable per value, named after its accessor path ({@code paramsW1}). */
  private RecordParameter.Component component(
      JavaTypes.RecordShape shape, String accessor, String path, String source, Variable.Role role) {
    List<RecordParameter.Component> children = new ArrayList<>();
    for (int i = 0; i < shape.components().size(); i++) {
      String child = shape.accessors().get(i);
      String childPath = path + Identifiers.capitalize(child);
      String childSource = source + "." + child + "()";
      Object component = shape.components().get(i);
      if (component instanceof Type type) {
        Variable leaf = new Variable(childPath, type, role);
        sourceNames.put(leaf, childSource);
        children.add(new RecordParameter.Component(null, child, List.of(), leaf));
      } else {
        children.add(component((JavaTypes.RecordShape) component, child, childPath, childSource, role));
      }
    }
    return new RecordParameter.Component(shape.className(), accessor, children, null);
  }

  /**
   * The leaf an accessor chain such as {@code params.layer().W()} reads, or null when the
   * expression is no such chain.
   */
  private RecordParameter.Component recordComponent(ExpressionTree tree) {
    if (tree instanceof IdentifierTree id) {
      Variable variable = lookup(id.getName().toString());
      if (variable == null) {
        return null;
      }
      RecordParameter record = records.get(variable);
      return record != null ? record.component() : recordLocals.get(variable);
    }
    if (tree instanceof MethodInvocationTree call && call.getArguments().isEmpty()
        && call.getMethodSelect() instanceof MemberSelectTree select) {
      RecordParameter.Component parent = recordComponent(select.getExpression());
      if (parent == null || parent.isLeaf()) {
        return null;
      }
      for (RecordParameter.Component child : parent.children()) {
        if (child.accessor().contentEquals(select.getIdentifier())) {
          return child;
        }
      }
    }
    return null;
  }

  // ------------------------------------------------------------ record locals

  /**
   * Lowers the declaration of a record local ({@code Point p = new Point(x, y)}, {@code var s = ...}) into
   * one local per component; false when {@code tree} declares no record.
   */
  private boolean lowerRecordDeclaration(VariableTree tree, List<Stmt> out) {
    Optional<JavaTypes.RecordShape> shape = declaredRecord(tree);
    if (shape.isEmpty()) {
      return false;
    }
    checkNoOwnCode(shape.get(), tree);
    List<Expr> values = new ArrayList<>();
    if (tree.getInitializer() != null) {
      lowerRecordValue(tree.getInitializer(), shape.get(), values, true);
    }
    String name = tree.getName().toString();
    Variable whole = new Variable(name, Type.object(shape.get().className()), Variable.Role.LOCAL);
    RecordParameter.Component component = component(shape.get(), null, name, name, Variable.Role.LOCAL);
    List<RecordParameter.Component> leaves = component.leaves();
    for (int i = 0; i < leaves.size(); i++) {
      Variable leaf = leaves.get(i).leaf();
      Expr value = values.isEmpty() ? null : values.get(i);
      if (value != null && leaf.type().isArray()) {
        trackSharing(leaf, value, tree, tree.toString());
        value = copyNamedRows(leaf, value, tree.toString());
      }
      out.add(new Stmt.Declare(leaf, value, position(tree)));
    }
    declare(whole);
    recordLocals.put(whole, component);
    return true;
  }

  /** The record a local declares, from its type or, for {@code var}, from the {@code new} that starts it. */
  private Optional<JavaTypes.RecordShape> declaredRecord(VariableTree tree) {
    Tree type = tree.getType();
    if (type == null || isVar(type)) {
      return unparenthesized(tree.getInitializer()) instanceof NewClassTree created
          ? symbols.recordShape(created.getIdentifier()) : Optional.empty();
    }
    return type instanceof IdentifierTree || type instanceof MemberSelectTree
        ? symbols.recordShape((ExpressionTree) type) : Optional.empty();
  }

  private void checkNoOwnCode(JavaTypes.RecordShape shape, Tree at) {
    Optional<String> own = symbols.ownRecordCode(shape);
    if (own.isPresent()) {
      throw new CompileError(at, Message.RECORD_OWN_CODE, own.get());
    }
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /**
   * Lowers {@code p = value} for a record local {@code p}: its components are assigned one by one,
   * each value that reads a component assigned before it copied first; false when the statement
   * is no assignment of a record.
   */
  private boolean lowerRecordAssignment(ExpressionTree expression, List<Stmt> out) {
    if (!(expression instanceof AssignmentTree assignment)) {
      return false;
    }
    RecordParameter.Component target = recordComponent(unparenthesized(assignment.getVariable()));
    if (target == null || target.isLeaf()) {
      return false;
    }
    if (!(unparenthesized(assignment.getVariable()) instanceof IdentifierTree id)
        || !recordLocals.containsKey(lookup(id.getName().toString()))) {
      throw new CompileError(assignment, Message.FIELD_WRITE, assignment.getVariable());
    }
    JavaTypes.RecordShape shape = symbols.recordShapeNamed(target.className());
    List<Expr> values = new ArrayList<>();
    lowerRecordValue(assignment.getExpression(), shape, values, true);
    List<RecordParameter.Component> leaves = target.leaves();
    java.util.Set<Variable> assigned = new java.util.HashSet<>();
    List<Stmt> copies = new ArrayList<>();
    List<Stmt> stores = new ArrayList<>();
    SourcePosition at = position(assignment);
    for (int i = 0; i < leaves.size(); i++) {
      Variable leaf = leaves.get(i).leaf();
      Expr value = values.get(i);
      if (Exprs.variablesRead(value).stream().anyMatch(assigned::contains)) {
        Variable copy = new Variable("new" + Identifiers.capitalize(leaf.name()), leaf.type(), Variable.Role.LOCAL);
        copies.add(new Stmt.Declare(copy, value, at));
        value = new Expr.Read(copy, at);
      }
      if (leaf.type().isArray()) {
        trackSharing(leaf, value, assignment, assignment.toString());
        value = copyNamedRows(leaf, value, assignment.toString());
      }
      stores.add(new Stmt.Assign(leaf, value, at));
      assigned.add(leaf);
    }
    out.addAll(copies);
    out.addAll(stores);
    return true;
  }

  /**
   * Lowers a record-valued expression into its leaves' values, depth first, in Java's order of
   * evaluation: a {@code new} of the record (nested ones too), or a record variable or component
   * read whole. With {@code intoLocals} the leaves go into local variables, which may not name a
   * parameter's array.
   */
  private void lowerRecordValue(ExpressionTree tree, JavaTypes.RecordShape shape, List<Expr> leaves, boolean intoLocals) {
    ExpressionTree bare = unparenthesized(tree);
    SourcePosition at = position(bare);
    RecordParameter.Component component = recordComponent(bare);
    if (component != null && !component.isLeaf() && component.className().equals(shape.className())) {
      component.leaves().forEach(leaf -> leaves.add(new Expr.Read(leaf.leaf(), at)));
      return;
    }
    if (bare instanceof NewClassTree created && created.getClassBody() == null
        && symbols.recordShape(created.getIdentifier()).map(JavaTypes.RecordShape::className)
            .filter(shape.className()::equals).isPresent()
        && created.getArguments().size() == shape.components().size()) {
      checkNoOwnCode(shape, created);
      for (int i = 0; i < shape.components().size(); i++) {
        ExpressionTree argument = created.getArguments().get(i);
        if (shape.components().get(i) instanceof Type type) {
          Expr value = after(leaves, () -> lowerInitializer(argument, type));
          if (intoLocals) {
            checkArrayValue(value, argument); // a record passed to a call may hold a parameter's array, as the call may
          }
          leaves.add(convert(value, type, argument));
        } else {
          lowerRecordValue(argument, (JavaTypes.RecordShape) shape.components().get(i), leaves, intoLocals);
        }
      }
      return;
    }
    if (bare instanceof MethodInvocationTree call) {
      Expr value = lowerCall(call, at, false);
      if (symbols.recordResultOf(call).map(JavaTypes.RecordShape::className).filter(shape.className()::equals)
          .isPresent()) {
        // The helper's record, as the double[] of its leaves: held in an array of its own, read entry by entry.
        Variable result = new Variable(((Expr.Call) value).callee().name(), Type.DOUBLE_ARRAY, Variable.Role.LOCAL);
        effects.add(new Stmt.Declare(result, value, at));
        for (int i = 0; i < leafCount(shape); i++) {
          leaves.add(new Expr.ArrayRead(new Expr.Read(result, at), Expr.Literal.ofInt(i), at));
        }
        return;
      }
    }
    throw new CompileError(bare, Message.RECORD_VALUE, bare, simpleName(shape.className()));
  }

  private static int leafCount(JavaTypes.RecordShape shape) {
    return shape.components().stream()
        .mapToInt(component -> component instanceof JavaTypes.RecordShape nested ? leafCount(nested) : 1).sum();
  }

  /** A call's argument: a record is passed whole, built again from its components. */
  private Expr lowerArgument(ExpressionTree argument) {
    ExpressionTree bare = unparenthesized(argument);
    RecordParameter.Component component = recordComponent(bare);
    Optional<JavaTypes.RecordShape> shape = component != null && !component.isLeaf()
        ? Optional.of(symbols.recordShapeNamed(component.className()))
        : bare instanceof NewClassTree created ? symbols.recordShape(created.getIdentifier()) : Optional.empty();
    if (shape.isEmpty()) {
      return lowerExpression(argument);
    }
    List<Expr> leaves = new ArrayList<>();
    lowerRecordValue(bare, shape.get(), leaves, false);
    return assemble(shape.get(), leaves.iterator(), position(bare));
  }

  /** The record of {@code shape} built from its leaves' values, depth first. */
  private static Expr.NewRecord assemble(JavaTypes.RecordShape shape, java.util.Iterator<Expr> leaves, SourcePosition at) {
    List<Expr> components = new ArrayList<>();
    for (Object component : shape.components()) {
      if (component instanceof JavaTypes.RecordShape nested) {
        components.add(assemble(nested, leaves, at));
      } else {
        Expr leaf = leaves.next(); // widened as the constructor does, so that its type says whether it is differentiated
        components.add(leaf.type().equals(component) ? leaf : new Expr.Cast((Type) component, leaf, leaf.position()));
      }
    }
    return new Expr.NewRecord(Type.object(shape.className()), shape.accessors(), components, at);
  }

  /**
   * The record parameter a method other than an accessor is called on ({@code model} in
   * {@code model.predict(t)}), or null. Only a record that is data: the callee's derivatives have no
   * partials for the components of its receiver.
   */
  private Variable recordCalledOn(MethodInvocationTree call) {
    if (!(call.getMethodSelect() instanceof MemberSelectTree select) || !(select.getExpression() instanceof IdentifierTree id)
        || recordComponent(call) != null) {
      return null;
    }
    Variable variable = lookup(id.getName().toString());
    if (variable == null || !records.containsKey(variable)) {
      return null;
    }
    if (differentiatedRecords.contains(variable)) {
      throw new CompileError(call, Message.UNSUPPORTED_CALL, select.getIdentifier() + " on the differentiated record "
          + variable.name() + " (the partials of its components through its methods are not supported: leave "
          + variable.name() + " out of wrt, or pass its components to a static method)");
    }
    return variable;
  }

  /**
   * The component a record's own method reads through its implicit accessor ({@code times()},
   * {@code this.times()}), as a field read; null for any other call.
   */
  private Variable receiverComponentRead(MethodInvocationTree call) {
    if (receiver == null || !call.getArguments().isEmpty() || !symbols.ownerIsRecord()) {
      return null;
    }
    String name = call.getMethodSelect() instanceof IdentifierTree id ? id.getName().toString()
        : call.getMethodSelect() instanceof MemberSelectTree select && SymbolResolver.isThis(select.getExpression())
            ? select.getIdentifier().toString() : null;
    return name != null && symbols.accessorReturnsField(name) ? receiverLeaf(call, name) : null;
  }

  /** The value a method is called on ({@code a} in {@code a.times(b)}), or null for a static call. */
  private Expr receiverOf(MethodInvocationTree call) {
    if (!(call.getMethodSelect() instanceof MemberSelectTree select)) {
      return null;
    }
    ExpressionTree qualifier = select.getExpression();
    boolean isValue = qualifier instanceof IdentifierTree id
        ? isValueName(id.getName().toString())
        : !(qualifier instanceof MemberSelectTree) || !symbols.namesType(qualifier);
    return isValue ? lowerExpression(qualifier) : null;
  }

  private Expr lowerConditional(ConditionalExpressionTree conditional, SourcePosition at) {
    Expr condition = lowerCondition(conditional.getCondition());
    Apart<Expr> trueBranch = apart(() -> lowerExpression(conditional.getTrueExpression()));
    Apart<Expr> falseBranch = apart(() -> lowerExpression(conditional.getFalseExpression()));
    Expr whenTrue = trueBranch.result();
    Expr whenFalse = falseBranch.result();
    Type type;
    if (whenTrue.type().isNumeric() && whenFalse.type().isNumeric()) {
      type = Type.promote(whenTrue.type(), whenFalse.type());
    } else if (whenTrue.type().equals(whenFalse.type()) && !whenTrue.type().isArray()) {
      type = whenTrue.type();
    } else {
      throw new CompileError(conditional, Message.ARRAY_ALIAS, "choosing between arrays with ?:");
    }
    if (trueBranch.effects().isEmpty() && falseBranch.effects().isEmpty()) {
      return new Expr.Conditional(condition, whenTrue, whenFalse, type, at);
    }
    // Only the chosen branch's side effects run: an if statement.
    Variable chosen = new Variable("chosen", type, Variable.Role.LOCAL);
    effects.add(new Stmt.Declare(chosen, null, at));
    effects.add(new Stmt.If(condition, branch(trueBranch, chosen, at), branch(falseBranch, chosen, at), at));
    return new Expr.Read(chosen, at);
  }

  /** The statements of a branch that Java may skip: its side effects, then its value into {@code result}. */
  private static Stmt.Block branch(Apart<Expr> lowered, Variable result, SourcePosition at) {
    List<Stmt> statements = new ArrayList<>(lowered.effects());
    statements.add(new Stmt.Assign(result, lowered.result(), at));
    return new Stmt.Block(statements, at);
  }

  private Expr lowerNewArray(NewArrayTree array, SourcePosition at) {
    if (array.getType() == null) {
      throw new JavacWillReport("array initializer outside a declaration");
    }
    Type element = typeOf(array.getType(), array);
    if (array.getInitializers() != null) {
      int dimensions = array.getDimensions().size();
      return lowerArrayLiteral(array, new Type(element.base(), element.dimensions() + Math.max(dimensions, 1)));
    }
    List<Expr> dimensions = new ArrayList<>();
    for (ExpressionTree dimension : array.getDimensions()) {
      dimensions.add(after(dimensions, () -> lowerIndex(dimension)));
    }
    Type type = new Type(element.base(), element.dimensions() + dimensions.size());
    if (type.dimensions() != dimensions.size()) {
      throw new CompileError(array, Message.UNSUPPORTED_EXPRESSION,
          "an array whose rows are left unallocated");
    }
    return new Expr.NewArray(type, dimensions, at);
  }

  private Expr lowerArrayLiteral(NewArrayTree tree, Type type) {
    List<Expr> elements = new ArrayList<>();
    for (ExpressionTree element : tree.getInitializers()) {
      Expr lowered = after(elements, () -> lowerInitializer(element, type.element()));
      elements.add(convert(lowered, type.element(), element));
    }
    return new Expr.ArrayLiteral(type, elements, position(tree));
  }

  private Expr lowerIndex(ExpressionTree tree) {
    Expr index = lowerExpression(tree);
    if (!index.type().equals(Type.INT)) {
      throw new JavacWillReport("array index of type " + index.type());
    }
    return index;
  }

  private Expr lowerLiteral(LiteralTree literal, SourcePosition at) {
    return switch (literal.getKind()) {
      case INT_LITERAL -> new Expr.Literal(literal.getValue(), Type.INT, at);
      case LONG_LITERAL -> new Expr.Literal(literal.getValue(), Type.LONG, at);
      case DOUBLE_LITERAL -> new Expr.Literal(literal.getValue(), Type.DOUBLE, at);
      case BOOLEAN_LITERAL -> new Expr.Literal(literal.getValue(), Type.BOOLEAN, at);
      // A float is widened to double, as javac widens it where it meets a double.
      case FLOAT_LITERAL -> new Expr.Literal(((Float) literal.getValue()).doubleValue(), Type.DOUBLE, at);
      case STRING_LITERAL -> new Expr.Literal(literal.getValue(), Type.STRING, at);
      default -> throw new CompileError(literal, Message.UNSUPPORTED_EXPRESSION, describe(literal));
    };
  }

  private Expr lowerMemberSelect(MemberSelectTree select, SourcePosition at) {
    String member = select.getIdentifier().toString();
    if (member.equals("length")) {
      ExpressionTree qualifier = select.getExpression();
      boolean isValue = !(qualifier instanceof IdentifierTree id) || isValueName(id.getName().toString());
      if (isValue) {
        Expr array = lowerExpression(qualifier);
        if (array.type().isArray()) {
          return new Expr.Length(array, at);
        }
      }
    }
    if (select.getExpression() instanceof IdentifierTree id && isValueName(id.getName().toString())) {
      throw new CompileError(select, Message.UNSUPPORTED_EXPRESSION, "the member access " + select);
    }
    if (SymbolResolver.isThis(select.getExpression()) && receiver != null) {
      Variable leaf = receiverLeaf(select, member);
      return leaf != null ? new Expr.Read(leaf, at) : symbols.constant(select, null, member);
    }
    return symbols.constant(select, select.getExpression(), member);
  }

  private Expr lowerBinary(BinaryTree binary, SourcePosition at) {
    if (binary.getKind() == Tree.Kind.CONDITIONAL_AND || binary.getKind() == Tree.Kind.CONDITIONAL_OR) {
      return lowerLogical(binary, at);
    }
    List<Expr> operands = lowerInOrder(List.of(binary.getLeftOperand(), binary.getRightOperand()));
    Expr left = operands.get(0);
    Expr right = operands.get(1);
    BinaryOperator operator = switch (binary.getKind()) {
      case PLUS -> BinaryOperator.ADD;
      case MINUS -> BinaryOperator.SUBTRACT;
      case MULTIPLY -> BinaryOperator.MULTIPLY;
      case DIVIDE -> BinaryOperator.DIVIDE;
      case REMAINDER -> BinaryOperator.REMAINDER;
      case LESS_THAN -> BinaryOperator.LESS;
      case LESS_THAN_EQUAL -> BinaryOperator.LESS_EQUAL;
      case GREATER_THAN -> BinaryOperator.GREATER;
      case GREATER_THAN_EQUAL -> BinaryOperator.GREATER_EQUAL;
      case EQUAL_TO -> BinaryOperator.EQUAL;
      case NOT_EQUAL_TO -> BinaryOperator.NOT_EQUAL;
      case CONDITIONAL_AND -> BinaryOperator.AND;
      case CONDITIONAL_OR -> BinaryOperator.OR;
      default -> throw new CompileError(binary, Message.UNSUPPORTED_EXPRESSION,
          "the operator " + operatorOf(binary) + " in `" + binary + "`");
    };
    if (operator.isArithmetic()) {
      return arithmetic(operator, left, right, binary);
    }
    boolean logical = operator == BinaryOperator.AND || operator == BinaryOperator.OR;
    boolean equality = operator == BinaryOperator.EQUAL || operator == BinaryOperator.NOT_EQUAL;
    boolean operandsFit = logical
        ? left.type().equals(Type.BOOLEAN) && right.type().equals(Type.BOOLEAN)
        : (left.type().isNumeric() && right.type().isNumeric())
            || (equality && left.type().equals(Type.BOOLEAN) && right.type().equals(Type.BOOLEAN))
            || (equality && left.type().equals(right.type()) && symbols.isDataObject(left.type()));
    if (!operandsFit) {
      throw new CompileError(binary, Message.UNSUPPORTED_EXPRESSION,
          "the operator " + operator.symbol() + " on " + left.type() + " and " + right.type());
    }
    return new Expr.Binary(operator, left, right, Type.BOOLEAN, at);
  }

  /** {@code &&} and {@code ||}: the right operand's side effects run only when Java evaluates it. */
  private Expr lowerLogical(BinaryTree binary, SourcePosition at) {
    boolean and = binary.getKind() == Tree.Kind.CONDITIONAL_AND;
    BinaryOperator operator = and ? BinaryOperator.AND : BinaryOperator.OR;
    Expr left = lowerExpression(binary.getLeftOperand());
    Apart<Expr> right = apart(() -> lowerExpression(binary.getRightOperand()));
    if (!left.type().equals(Type.BOOLEAN) || !right.result().type().equals(Type.BOOLEAN)) {
      throw new CompileError(binary, Message.UNSUPPORTED_EXPRESSION,
          "the operator " + operator.symbol() + " on " + left.type() + " and " + right.result().type());
    }
    if (right.effects().isEmpty()) {
      return new Expr.Binary(operator, left, right.result(), Type.BOOLEAN, at);
    }
    Variable result = new Variable(and ? "both" : "either", Type.BOOLEAN, Variable.Role.SYNTHETIC);
    effects.add(new Stmt.Declare(result, left, at));
    Expr evaluateRight = and ? new Expr.Read(result, at) : new Expr.Unary(UnaryOperator.NOT, new Expr.Read(result, at), at);
    effects.add(new Stmt.If(evaluateRight, branch(right, result, at), Stmt.Block.empty(), at));
    return new Expr.Read(result, at);
  }

  private Expr arithmetic(BinaryOperator operator, Expr left, Expr right, Tree tree) {
    if (!left.type().isNumeric() || !right.type().isNumeric()) {
      throw new CompileError(tree, Message.UNSUPPORTED_EXPRESSION,
          "the operator " + operator.symbol() + " on " + left.type() + " and " + right.type());
    }
    return new Expr.Binary(operator, left, right, Type.promote(left.type(), right.type()), position(tree));
  }

  private Expr lowerUnary(UnaryTree unary, SourcePosition at) {
    return switch (unary.getKind()) {
      case UNARY_MINUS, UNARY_PLUS -> {
        Expr operand = lowerExpression(unary.getExpression());
        if (!operand.type().isNumeric()) {
          throw new JavacWillReport("sign of a non-number");
        }
        yield new Expr.Unary(unary.getKind() == Tree.Kind.UNARY_MINUS
            ? UnaryOperator.NEGATE : UnaryOperator.PLUS, operand, at);
      }
      case LOGICAL_COMPLEMENT -> {
        Expr operand = lowerCondition(unary.getExpression());
        yield new Expr.Unary(UnaryOperator.NOT, operand, at);
      }
      default -> throw new CompileError(unary, Message.UNSUPPORTED_EXPRESSION,
          "the operator " + operatorOf(unary) + " in `" + unary + "`");
    };
  }

  /** Applies Java's assignment conversion: widening is implicit, narrowing is a javac error. */
  private static Expr convert(Expr value, Type target, Tree tree) {
    if (value.type().equals(target)) {
      return value;
    }
    if (target.isNumeric() && value.type().isNumeric()
        && Type.promote(target, value.type()).equals(target)) {
      return value;
    }
    if (value instanceof Expr.Literal literal && target.isNumeric() && literal.type().equals(Type.INT)) {
      return value;
    }
    throw new JavacWillReport("cannot assign " + value.type() + " to " + target + " at " + tree);
  }

  // ----------------------------------------------------------------- helpers

  private Type typeOf(Tree typeTree, Tree owner) {
    Type type = null;
    if (typeTree instanceof PrimitiveTypeTree primitive) {
      type = switch (primitive.getPrimitiveTypeKind()) {
        case DOUBLE -> Type.DOUBLE;
        case INT -> Type.INT;
        case LONG -> Type.LONG;
        case BOOLEAN -> Type.BOOLEAN;
        // float locals and casts hold doubles: the IR computes in double precision.
        case FLOAT -> Type.DOUBLE;
        default -> null;
      };
    } else if (typeTree instanceof ArrayTypeTree array) {
      if (array.getType() instanceof PrimitiveTypeTree primitive && primitive.getPrimitiveTypeKind() == javax.lang.model.type.TypeKind.FLOAT) {
        throw new CompileError(owner, Message.FLOAT_NOT_SUPPORTED,
            owner instanceof VariableTree variable ? "local variable " + variable.getName() : "`" + owner + "`");
      }
      Type element = typeOf(array.getType(), owner);
      type = element.dimensions() < 2 && element.base() != Type.Base.MATRIX ? element.arrayOf() : null;
    } else if (typeTree instanceof IdentifierTree || typeTree instanceof MemberSelectTree) {
      String className = symbols.qualifiedTypeName((ExpressionTree) typeTree);
      if (Type.MATRIX_CLASS.equals(className)) {
        type = Type.MATRIX;
      } else if (className != null && symbols.isDataObject(Type.object(className))) {
        type = Type.object(className); // a String or enum: data
      }
    }
    if (type == null) {
      if ((typeTree instanceof IdentifierTree || typeTree instanceof MemberSelectTree)
          && symbols.qualifiedTypeName((ExpressionTree) typeTree) == null) {
        throw new CompileError(typeTree, Message.UNRESOLVED_NAME, "the class " + typeTree);
      }
      if (owner instanceof VariableTree variable) {
        throw new CompileError(owner, Message.UNSUPPORTED_LOCAL_TYPE, variable.getName(), typeTree);
      }
      throw new CompileError(owner, Message.UNSUPPORTED_EXPRESSION, "a cast to " + typeTree);
    }
    return type;
  }

  private void declare(Variable variable) {
    scopes.peek().variables().put(variable.name(), variable);
  }

  private boolean isValueName(String name) {
    return lookup(name) != null || lookupAlias(name) != null || (receiver != null && symbols.isInstanceField(name));
  }

  private Expr lookupAlias(String name) {
    for (Scope scope : scopes) {
      if (scope.variables().containsKey(name)) {
        return null;
      }
      if (scope.aliases().containsKey(name)) {
        return scope.aliases().get(name);
      }
    }
    return null;
  }

  private Variable lookup(String name) {
    for (Scope scope : scopes) {
      if (scope.aliases().containsKey(name)) {
        return null;
      }
      Variable variable = scope.variables().get(name);
      if (variable != null) {
        return variable;
      }
    }
    return null;
  }

  /**
   * Records that {@code target} now names {@code value}'s array when value is another local array
   * ({@code h = next}); reverse mode treats them as two arrays, which is right only while neither
   * is written into, and only if the source dies with this block.
   */
  private void trackSharing(Variable target, Expr value, Tree tree, String statement) {
    scopes.forEach(scope -> scope.sharing().remove(target));
    if (value instanceof Expr.Read read && read.type().isArray()) {
      Variable source = read.variable();
      if (scopes.peek().variables().get(source.name()) != source) {
        throw new CompileError(tree, Message.ALIAS_OF_OUTER_ARRAY, statement, sourceName(source));
      }
      scopes.peek().sharing().put(target, statement);
      scopes.peek().sharing().put(source, statement);
    }
  }

  /**
   * Rows of an initialiser that name existing arrays ({@code {x}}, {@code {y}}, {@code {w[0]}}) are lowered as copies,
   * so that reverse mode sees arrays of their own (and a row's adjoint flows back into the named array's). A copy
   * behaves as Java's shared row as long as neither the new array nor the named one is written while both are in
   * scope, which {@link #checkNotShared} enforces from here on.
   */
  private Expr copyNamedRows(Variable target, Expr value, String statement) {
    if (!(value instanceof Expr.ArrayLiteral literal) || !literal.type().element().isArray()) {
      return value;
    }
    List<Expr> rows = new ArrayList<>();
    for (Expr row : literal.elements()) {
      Variable source = Exprs.rootOf(row);
      if (source == null) {
        rows.add(row); // a new array: an initialiser, new double[n] or a call's result
        continue;
      }
      Scope current = scopes.peek();
      if (current.variables().get(target.name()) != target && current.variables().get(source.name()) != source) {
        // Both outlive this block, where the record that forbids writes ends.
        throw new CompileError(row.position().tree(), Message.ALIAS_OF_OUTER_ARRAY, statement, sourceName(source));
      }
      current.sharing().put(target, statement);
      current.sharing().put(source, statement);
      rows.add(new Expr.Call(Callee.Plain.of(ADJOINTS, "copy", List.of(row.type()), row.type()), List.of(row),
          row.position()));
    }
    return new Expr.ArrayLiteral(literal.type(), rows, literal.position());
  }

  /** The variable as the source names it: a record's leaf by its accessor chain. */
  private String sourceName(Variable variable) {
    return sourceNames.getOrDefault(variable, variable.name());
  }

  private void checkNotShared(Variable array, Tree write) {
    for (Scope scope : scopes) {
      String since = scope.sharing().get(array);
      if (since != null) {
        throw new CompileError(write, Message.ARRAY_WRITE_THROUGH_ALIAS, sourceName(array), since);
      }
    }
  }

  private SourcePosition position(Tree tree) {
    long start = positions.getStartPosition(unit, tree);
    long line = start < 0 ? -1 : unit.getLineMap().getLineNumber(start);
    return new SourcePosition(tree, line);
  }

  static String describe(Tree tree) {
    String kind = tree.getKind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    String text = tree.toString().replaceAll("\\s+", " ").trim();
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    return "the " + kind + " `" + text + "`";
  }

  /** The operator as written, such as {@code &} or {@code <<}, for messages. */
  private static String operatorOf(Tree tree) {
    return switch (tree.getKind()) {
      case AND, AND_ASSIGNMENT -> "&";
      case OR, OR_ASSIGNMENT -> "|";
      case XOR, XOR_ASSIGNMENT -> "^";
      case LEFT_SHIFT, LEFT_SHIFT_ASSIGNMENT -> "<<";
      case RIGHT_SHIFT, RIGHT_SHIFT_ASSIGNMENT -> ">>";
      case UNSIGNED_RIGHT_SHIFT, UNSIGNED_RIGHT_SHIFT_ASSIGNMENT -> ">>>";
      case BITWISE_COMPLEMENT -> "~";
      default -> tree.getKind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    };
  }
}
