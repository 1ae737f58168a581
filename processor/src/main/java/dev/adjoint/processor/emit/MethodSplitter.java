package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Identifiers;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmts;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.reverse.ReverseTransform;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;

/**
 * Keeps every generated method below HotSpot's limit of 8,000 bytes of bytecode for the methods it
 * compiles (and far below javac's 64 KiB). A method whose statements would be larger is written as
 * a <em>frame</em>: a nested class {@code FPullbackFrame} whose instance methods each hold
 * consecutive statements ({@code lines8To140()}, a long loop body in several), whose fields hold
 * the locals that more than one of those methods (or the method itself) use, and which the method
 * creates, fills with its parameters and calls in order. The statements print as they would in
 * one method, the locals of one part stay locals, and source-line comments stay with their code.
 * Methods below the limit are printed exactly as before.
 */
final class MethodSplitter {
  /** Estimated bytes above which a method is split: below 8,000 with room for what the estimate misses. */
  static final int SPLIT_ABOVE = 7_000;
  /** Estimated bytes of the statements of one part. */
  static final int PART_BUDGET = 4_500;
  /**
   * Estimated constant-pool entries above which a frame class is not written: a class file holds
   * at most 65,535, and the estimate leaves room for the calls and constants it does not count.
   */
  static final int CONSTANTS_LIMIT = 60_000;
  /** {@code aload_0; invokevirtual}: the call of a part. */
  private static final int CALL = 4;
  /** The only method of a frame too large for a class file. */
  private static final String TOO_LARGE = "tooLargeForAClassFile";
  /** A comment citing a source line, as {@link Stmt.Comment#sourceLine} writes it. */
  private static final Pattern SOURCE_LINE = Pattern.compile("line (\\d+):.*");

  private final String methodName;
  /** Names the function objects the parts hand to rules (see {@link CodeWriter}). */
  private final java.util.function.Function<Expr.FunctionRef, String> functionObjects;
  private final Map<Stmt.Block, List<String>> splitBlocks = new IdentityHashMap<>();
  private final List<Part> parts = new ArrayList<>();
  private final Set<String> partNames = new HashSet<>();
  /** Whether planning has passed the start of the reverse sweep: the parts after it are named so. */
  private boolean reverse;

  /** Consecutive statements that go into one method of the frame. */
  private record Part(String name, List<Stmt> statements) {}

  private MethodSplitter(String methodName, java.util.function.Function<Expr.FunctionRef, String> functionObjects) {
    this.methodName = methodName;
    this.functionObjects = functionObjects;
  }

  /**
   * The code that runs {@code statements} in the generated method {@code methodName}: the
   * statements themselves when they are small, else the creation and the calls of a frame whose
   * class goes into {@code frames}.
   *
   * @param names the method's names, holding its parameters and what it declares before the statements
   * @param tapeName the method's tape (used only if the statements push or pop)
   * @param liveOut the variables that the method reads after the statements
   * @param frameName a name for the frame class, unique in the companion
   * @param frameSource where the method gets its frame from (a gradient object that keeps it), or
   *     null for a new one per call
   * @param tooLarge where to say that the frame would not fit a class file (ADJ280)
   */
  static CodeBlock statements(List<Stmt> statements, Names names, String tapeName, Collection<Variable> liveOut,
      String methodName, String frameName, CodeBlock frameSource, Collection<TypeSpec> frames,
      Collection<String> tooLarge, java.util.function.Function<Expr.FunctionRef, String> functionObjects) {
    int size = BytecodeSize.of(statements);
    if (size <= SPLIT_ABOVE) {
      return new CodeWriter(names, tapeName, functionObjects).statements(statements);
    }
    MethodSplitter splitter = new MethodSplitter(methodName, functionObjects);
    List<String> topLevel = splitter.plan(statements);
    return splitter.frame(
        statements, topLevel, size, names, tapeName, liveOut, frameName, frameSource, frames, tooLarge);
  }

  /** Divides {@code statements} into parts of about {@link #PART_BUDGET}; returns their names in order. */
  private List<String> plan(List<Stmt> statements) {
    List<String> planned = new ArrayList<>();
    List<Stmt> current = new ArrayList<>();
    int start = parts.size();
    boolean startsInReverse = reverse;
    int size = 0;
    Stmt.Comment sourceLine = null;
    for (Stmt statement : flatten(statements)) {
      int cost = costAfterSplitting(statement);
      if (size > 0 && size + cost > PART_BUDGET) {
        List<Stmt> carried = trailingComments(current);
        current.subList(current.size() - carried.size(), current.size()).clear();
        planned.add(addPart(start, current, startsInReverse));
        start = parts.size();
        startsInReverse = reverse;
        current = new ArrayList<>(carried);
        if (carried.isEmpty() && sourceLine != null) {
          current.add(new Stmt.Comment(sourceLine.text() + " (continued)"));
        }
        size = 0;
      }
      current.add(statement);
      size += cost;
      Stmt.Comment comment = sourceLineOf(statement);
      sourceLine = comment != null ? comment : sourceLine;
      reverse |= isReverseSweep(statement);
    }
    if (!current.isEmpty()) {
      planned.add(addPart(start, current, startsInReverse));
    }
    return planned;
  }

  /** The statement's size once the blocks in it that are too large for one part are split. */
  private int costAfterSplitting(Stmt statement) {
    int size = BytecodeSize.of(statement);
    if (size <= PART_BUDGET) {
      return size;
    }
    return statement.accept(new Stmts.ByAssignment<Integer>() {
      @Override
      protected Integer assignment(Stmt assignment) {
        return size; // one statement: nothing to split
      }

      @Override
      protected Integer otherLeaf(Stmt leaf) {
        return size;
      }

      @Override
      public Integer visitBlock(Stmt.Block block) {
        throw new IllegalStateException("blocks are flattened before they are planned");
      }

      @Override
      public Integer visitIf(Stmt.If ifStmt) {
        return BytecodeSize.of(ifStmt.condition()) + 6 + split(ifStmt.thenBlock()) + split(ifStmt.elseBlock());
      }

      @Override
      public Integer visitLoop(Stmt.Loop loop) {
        return BytecodeSize.of(loop.condition()) + 6 + split(loop.body()) + BytecodeSize.of(loop.update());
      }
    });
  }

  /** Splits a branch or loop body larger than half a part into parts of its own; returns its size then. */
  private int split(Stmt.Block block) {
    int size = BytecodeSize.of(block);
    if (size <= PART_BUDGET / 2) {
      return size;
    }
    List<String> calls = plan(block.statements());
    splitBlocks.put(block, calls);
    return CALL * calls.size();
  }

  /**
   * Records a part at {@code index} (before the parts it calls), named after the source lines it
   * holds, and as part of the reverse sweep when it starts there.
   */
  private String addPart(int index, List<Stmt> statements, boolean inReverse) {
    List<Long> lines = new ArrayList<>();
    statements.forEach(statement -> collectLines(statement, lines));
    Long first = lines.isEmpty() ? null : lines.get(0);
    Long last = lines.isEmpty() ? null : lines.get(lines.size() - 1);
    String base = first == null ? "part" : "lines" + first + (first.equals(last) ? "" : "To" + last);
    base = inReverse ? "reverse" + Identifiers.capitalize(base) : base;
    String name = base;
    for (int i = 2; !partNames.add(name); i++) {
      name = base + "Part" + i;
    }
    parts.add(index, new Part(name, List.copyOf(statements)));
    return name;
  }

  /**
   * Writes the frame class and returns the method's code that fills and runs it. The fields are
   * the variables used by more than one of: the method (its parameters, what it declares before the
   * statements, what it reads after them) and each part.
   */
  private CodeBlock frame(List<Stmt> statements, List<String> topLevel, int size, Names names, String tapeName,
      Collection<Variable> liveOut, String frameName, CodeBlock frameSource, Collection<TypeSpec> frames,
      Collection<String> tooLarge) {
    Map<Variable, Integer> users = new LinkedHashMap<>();
    Set<Object> literals = new HashSet<>();
    boolean usesTape = false;
    for (Part part : parts) {
      References references = new References(literals);
      part.statements().forEach(statement -> statement.accept(references));
      references.variables.forEach(variable -> users.merge(variable, 1, Integer::sum));
      usesTape |= references.usesTape;
    }
    Map<Variable, String> fields = new LinkedHashMap<>();
    Set<String> fieldNames = new HashSet<>();
    for (Map.Entry<Variable, Integer> use : users.entrySet()) {
      Variable variable = use.getKey();
      boolean usedByMethod = names.isNamed(variable) || liveOut.contains(variable);
      if (use.getValue() + (usedByMethod ? 1 : 0) > 1) {
        fields.put(variable, unique(names.isNamed(variable) ? names.of(variable) : variable.name(), fieldNames));
      }
    }
    String tapeField = usesTape ? unique("tape", fieldNames) : null;
    // A field costs a field reference, its name and type; a part a method reference; a double two entries.
    int constants = 3 * (fields.size() + parts.size()) + 2 * literals.size();
    boolean fits = constants <= CONSTANTS_LIMIT;
    if (!fits) {
      tooLarge.add(methodName + " would need about " + constants + " class-file constants");
    }

    String frame = names.fresh("frame", "frame of " + methodName);
    ClassName frameType = ClassName.get("", frameName);
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// an estimated $L bytes of bytecode, more than HotSpot compiles in one method (8,000): the\n",
            String.format("%,d", size))
        .add("// statements are in the methods of $L, whose fields hold the locals they share\n", frameName)
        .addStatement("$T $L = $L", frameType, frame,
            frameSource != null ? frameSource : CodeBlock.of("new $T()", frameType));
    if (usesTape) {
      code.addStatement("$L.$L = $L", frame, tapeField, tapeName);
    }
    for (Map.Entry<Variable, String> field : fields.entrySet()) {
      if (names.isNamed(field.getKey())) {
        code.addStatement("$L.$L = $L", frame, field.getValue(), names.of(field.getKey()));
      }
    }
    for (String part : fits ? topLevel : List.of(TOO_LARGE)) {
      code.addStatement("$L.$L()", frame, part);
    }
    fields.forEach((variable, field) -> names.qualify(variable, frame + "." + field));
    frames.add(frameClass(statements, frameName, fields, tapeField, size, fits));
    return code.build();
  }

  /**
   * The frame class. One too large for a class file (reported as ADJ280, so the build fails) has
   * the fields the method reads but only a method that throws, so that the companion still compiles.
   */
  private TypeSpec frameClass(List<Stmt> statements, String frameName, Map<Variable, String> fields,
      String tapeField, int size, boolean fits) {
    TypeSpec.Builder type = TypeSpec.classBuilder(frameName)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The statements of {@link #$L} (an estimated $L bytes of bytecode in one method) in\n"
            + "methods below HotSpot's limit of 8,000 bytes for compiling a method, and the locals they share.\n",
            methodName, String.format("%,d", size));
    Names frameNames = new Names();
    frameNames.claim(statements);
    if (tapeField != null) {
      type.addField(FieldSpec.builder(ClassName.get("dev.adjoint.runtime", "Tape"), tapeField).build());
    }
    fields.forEach((variable, field) -> {
      type.addField(FieldSpec.builder(variable.type().typeName(), field).build());
      frameNames.reserve(variable, field);
    });
    if (!fits) {
      return type.addMethod(MethodSpec.methodBuilder(TOO_LARGE)
          .addStatement("throw new $T($S)", IllegalStateException.class, "too large for a class file: ADJ280")
          .build()).build();
    }
    for (Part part : parts) {
      frameNames.open();
      CodeBlock body = new CodeWriter(frameNames, tapeField, functionObjects, splitBlocks).statements(part.statements());
      frameNames.close();
      type.addMethod(MethodSpec.methodBuilder(part.name())
          .returns(TypeName.VOID)
          .addCode(body)
          .build());
    }
    return type.build();
  }

  private static String unique(String base, Set<String> taken) {
    String name = base;
    for (int i = 2; !SourceVersion.isName(name) || !taken.add(name); i++) {
      name = base + i;
    }
    return name;
  }

  /** Statements with the blocks among them (not those of branches and loops) replaced by their statements. */
  private static List<Stmt> flatten(List<Stmt> statements) {
    List<Stmt> flat = new ArrayList<>();
    for (Stmt statement : statements) {
      Stmt.Block block = asBlock(statement);
      if (block != null) {
        flat.addAll(flatten(block.statements()));
      } else {
        flat.add(statement);
      }
    }
    return flat;
  }

  private static Stmt.Block asBlock(Stmt statement) {
    return statement instanceof Stmt.Block block ? block : null;
  }

  /** The {@code // line 12: ...} comment that {@code statement} is, or null. */
  private static Stmt.Comment sourceLineOf(Stmt statement) {
    return statement instanceof Stmt.Comment comment && SOURCE_LINE.matcher(comment.text()).matches() ? comment : null;
  }

  /** The comments at the end of {@code statements}, which describe what follows them. */
  private static List<Stmt> trailingComments(List<Stmt> statements) {
    int first = statements.size();
    while (first > 0 && BytecodeSize.of(statements.get(first - 1)) == 0) {
      first--;
    }
    return new ArrayList<>(statements.subList(first, statements.size()));
  }

  /** The source lines that the comments in {@code statement} cite, in order. */
  private static void collectLines(Stmt statement, List<Long> lines) {
    Stmt.Comment comment = sourceLineOf(statement);
    if (comment != null) {
      Matcher line = SOURCE_LINE.matcher(comment.text());
      if (line.matches()) {
        lines.add(Long.parseLong(line.group(1)));
      }
    }
    Stmts.children(statement).forEach(child -> collectLines(child, lines));
  }

  /** Whether {@code statement} is the comment that starts the reverse sweep. */
  private static boolean isReverseSweep(Stmt statement) {
    return statement instanceof Stmt.Comment comment && comment.text().equals(ReverseTransform.REVERSE_SWEEP);
  }

  /**
   * The variables a part's statements name and whether they use the tape; blocks split into parts
   * of their own are those parts' business.
   */
  private final class References implements Stmt.Visitor<Void> {
    final Set<Variable> variables = new LinkedHashSet<>();
    final Set<Object> literals;
    boolean usesTape;

    References(Set<Object> literals) {
      this.literals = literals;
    }

    private void read(Expr expr) {
      if (expr != null) {
        variables.addAll(Exprs.variablesRead(expr));
        usesTape |= pops(expr);
        collectLiterals(expr, literals);
      }
    }

    private void readAll(List<Expr> exprs) {
      exprs.forEach(this::read);
    }

    @Override
    public Void visitBlock(Stmt.Block block) {
      if (!splitBlocks.containsKey(block)) {
        block.statements().forEach(statement -> statement.accept(this));
      }
      return null;
    }

    @Override
    public Void visitDeclare(Stmt.Declare declare) {
      variables.add(declare.variable());
      read(declare.init());
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign assign) {
      variables.add(assign.variable());
      read(assign.value());
      return null;
    }

    @Override
    public Void visitArrayAssign(Stmt.ArrayAssign assign) {
      readAll(List.of(assign.array(), assign.index(), assign.value()));
      return null;
    }

    @Override
    public Void visitIf(Stmt.If ifStmt) {
      read(ifStmt.condition());
      ifStmt.thenBlock().accept(this);
      ifStmt.elseBlock().accept(this);
      return null;
    }

    @Override
    public Void visitLoop(Stmt.Loop loop) {
      read(loop.condition());
      loop.body().accept(this);
      loop.update().accept(this);
      return null;
    }

    @Override
    public Void visitBreak(Stmt.Break jump) {
      return null;
    }

    @Override
    public Void visitContinue(Stmt.Continue jump) {
      return null;
    }

    @Override
    public Void visitReturn(Stmt.Return ret) {
      read(ret.value());
      return null;
    }

    @Override
    public Void visitPush(Stmt.Push push) {
      usesTape = true;
      read(push.value());
      return null;
    }

    @Override
    public Void visitPullback(Stmt.Pullback pullback) {
      readAll(pullback.arguments());
      read(pullback.seed());
      variables.add(pullback.gradient());
      return null;
    }

    @Override
    public Void visitPullbackTangent(Stmt.PullbackTangent tangent) {
      visitPullback(tangent.pullback());
      readAll(tangent.argumentTangents());
      read(tangent.seedTangent());
      variables.add(tangent.gradientTangent());
      return null;
    }

    @Override
    public Void visitEffect(Stmt.Effect effect) {
      read(effect.call());
      return null;
    }

    @Override
    public Void visitComment(Stmt.Comment comment) {
      return null;
    }
  }

  /** The values of the literals in {@code expr}, each of which the class file holds once. */
  private static void collectLiterals(Expr expr, Set<Object> literals) {
    if (expr instanceof Expr.Literal literal) {
      literals.add(literal.value());
    }
    Exprs.children(expr).forEach(child -> collectLiterals(child, literals));
  }

  /** Whether {@code expr} pops the tape. */
  private static boolean pops(Expr expr) {
    return expr instanceof Expr.Pop || Exprs.children(expr).stream().anyMatch(MethodSplitter::pops);
  }
}
