package dev.adjoint.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.Derivative;
import dev.adjoint.processor.forward.ForwardTransform;
import dev.adjoint.processor.forward.TangentCode;
import dev.adjoint.processor.frontend.DifferentiableSignature;
import dev.adjoint.processor.frontend.JavaTypes;
import dev.adjoint.processor.ir.Function;
import dev.adjoint.processor.ir.Identifiers;
import dev.adjoint.processor.ir.RecordParameter;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.reverse.Pullback;
import dev.adjoint.processor.taylor.TaylorTransform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes the companion class of one user class: per {@code @Differentiable} method, a gradient
 * class and three entry points (convenience, allocation-free {@code into}, and pullback), all
 * running the same generated pullback body.
 */
public final class CompanionWriter {
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  private static final ClassName METADATA = ClassName.bestGuess(DifferentiableSignature.METADATA);
  private static final ClassName TAPE = ClassName.get("dev.adjoint.runtime", "Tape");
  private static final ClassName ADJOINTS = ClassName.get("dev.adjoint.runtime", "Adjoints");
  private static final ClassName MATRIX = ClassName.get("dev.adjoint.runtime", "Matrix");
  private static final ClassName TAYLOR = ClassName.get("dev.adjoint.runtime", "Taylor");
  private static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");
  private static final ClassName LIST = ClassName.get("java.util", "List");
  private static final ClassName FUNCTION = ClassName.get("dev.adjoint.runtime.check", "DifferentiableFunction");
  private static final ClassName PARAMETER = ClassName.get("dev.adjoint.runtime.check", "FunctionParameter");
  private static final String PROCESSOR = "dev.adjoint.processor.AdjointProcessor";
  private static final ClassName DUAL_RECORD = ClassName.get("dev.adjoint.runtime", "DualRecord");

  /**
   * One method to write: its IR, names, the derivatives it asked for, its reverse-mode body, and
   * the forward-mode bodies those derivatives need (empty when not asked for). A {@code helper}'s
   * derivatives are private, for its callers in this companion only; with {@code copiesPrimal} the
   * companion also holds a copy of the helper, which it cannot call where it is declared.
   */
  public record Entry(
      Function function,
      DifferentiableSignature signature,
      Set<Derivative> derivatives,
      Pullback pullback,
      Optional<TangentCode> tangent,
      Optional<TangentCode> hessianVector,
      Optional<TangentCode> pullbackTangent,
      Optional<TaylorTransform.TaylorCode> taylor,
      Optional<TaylorTransform.TaylorCode> series,
      boolean recomputable,
      boolean helper,
      boolean copiesPrimal,
      Set<String> floatParameters,
      JavaTypes.RecordShape recordResult) {

    /**
     * The record an annotated method returns, which its public methods take and give as that record
     * (its derivative code carries the {@code double[]} of its leaves); null for other results and helpers.
     */
    JavaTypes.RecordShape publicRecordResult() {
      return helper ? null : recordResult;
    }
  }

  /** A copy of a method the companion cannot call where it is declared: its normalised body, named {@code name}. */
  public record Copy(Function function, Variable result, String name) {}

  private final String packageName;
  private final String companionSimpleName;
  private final String ownerQualifiedName;
  private final TypeSpec.Builder companion;
  private final List<CodeBlock> descriptions = new ArrayList<>();
  /** The frames of methods too large for one ({@link MethodSplitter}), added after the methods. */
  private final List<TypeSpec> frames = new ArrayList<>();
  private final Set<String> frameNames = new java.util.HashSet<>();
  /** The frames that the gradient object of the entry being added keeps between calls. */
  private final List<String> keptFrames = new ArrayList<>();
  private final List<TypeSpec> gradientClasses = new ArrayList<>();
  /** What was too large to generate for the entry being added (ADJ280). */
  private final List<String> tooLarge = new ArrayList<>();
  private final FunctionObjects functionObjects = new FunctionObjects();

  public CompanionWriter(String packageName, String companionSimpleName, String ownerQualifiedName) {
    this.packageName = packageName;
    this.companionSimpleName = companionSimpleName;
    this.ownerQualifiedName = ownerQualifiedName;
    this.companion = TypeSpec.classBuilder(companionSimpleName)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addAnnotation(AnnotationSpec.builder(GENERATED)
            .addMember("value", "$S", PROCESSOR)
            .addMember("comments", "$S", "gradients of " + ownerQualifiedName)
            .build())
        .addJavadoc("Reverse-mode derivatives of the {@code @Differentiable} methods of {@link $T}, generated by\n"
            + "Adjoint. Each method {@code m} has a gradient class {@code MGradient} and three entry points:\n"
            + "{@code m(args)}, {@code m(args, into)} (allocation-free) and {@code mPullback(args, seed, into)}.\n",
            ClassName.bestGuess(ownerQualifiedName))
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
  }

  /**
   * Adds the methods of {@code entry}; returns what was too large for a class file even when
   * split, each a problem the caller must report (ADJ280), empty when all is well.
   */
  public List<String> add(Entry entry) {
    tooLarge.clear();
    keptFrames.clear();
    ClassName gradient = ClassName.get(packageName, companionSimpleName, entry.signature().gradientSimpleName());
    List<Variable> fieldNames = new ArrayList<>(entry.function().parameters());
    fieldNames.addAll(differentiatedFields(entry));
    String tapeField = tapeFieldName(fieldNames);
    addMethods(entry, gradient, tapeField);
    // After the methods: the gradient object keeps the frames of those that were split.
    gradientClasses.add(gradientClass(entry, gradient, tapeField));
    return List.copyOf(tooLarge);
  }

  private void addMethods(Entry entry, ClassName gradient, String tapeField) {
    Function function = entry.function();
    if (entry.helper()) {
      addHelper(entry, gradient, tapeField);
      return;
    }

    List<ParameterSpec> parameters = new ArrayList<>();
    CodeBlock.Builder arguments = CodeBlock.builder();
    Names names = new Names();
    for (Variable parameter : function.parameters()) {
      parameters.add(ParameterSpec.builder(parameter.type().typeName(), parameter.name()).build());
      arguments.add("$L, ", parameter.name());
      names.reserve(parameter, parameter.name());
    }
    String result = names.fresh("gradient", "gradient");
    String into = names.fresh("into", "into");
    String methodLink = methodLink(entry);
    companion.addMethod(pullbackMethod(entry, gradient, parameters, tapeField));
    if (entry.publicRecordResult() != null) {
      companion.addMethod(recordPullbackMethod(entry, gradient, parameters, arguments.build()));
    }
    if (entry.pullbackTangent().isPresent()) {
      companion.addMethod(reverseMethod(entry, gradient, parameters, tapeField, entry.pullbackTangent().get()));
    }
    if (entry.tangent().isPresent()) {
      companion.addMethod(tangentMethod(entry, parameters));
    }
    if (isVectorValued(function)) {
      companion.addMethod(jacobianMethod(entry, gradient, parameters, arguments.build()));
      return;
    }
    if (!entry.signature().differentiatedNames().isEmpty()) {
      // The checks perturb arguments: a method that differentiates only fields has none to check.
      descriptions.add(description(entry, gradient));
    }
    if (entry.hessianVector().isPresent()) {
      companion.addMethod(hessianVectorMethod(entry, parameters));
      companion.addMethod(hessianMethod(entry, parameters));
    }
    if (entry.taylor().isPresent()) {
      companion.addMethod(derivativesMethod(entry, parameters));
    }
    entry.series().ifPresent(code -> companion.addMethod(seriesMethod(entry, code)));
    companion.addMethod(MethodSpec.methodBuilder(function.name())
        .addJavadoc("Evaluates {@link $L} and its gradient.\n", methodLink)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(gradient)
        .addParameters(parameters)
        .addStatement("$T $L = new $T()", gradient, result, gradient)
        .addStatement("$L($L1.0, $L)", entry.signature().pullbackName(), arguments.build(), result)
        .addStatement("return $L", result)
        .build());
    companion.addMethod(MethodSpec.methodBuilder(function.name())
        .addJavadoc("Evaluates {@link $L} and writes its gradient into {@code into}, reusing its arrays;\n"
            + "returns the value.\n", methodLink)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double.class)
        .addParameters(parameters)
        .addParameter(gradient, into)
        .addStatement("return $L($L1.0, $L)", entry.signature().pullbackName(), arguments.build(), into)
        .build());
  }

  /**
   * A helper's derivatives, private: its gradient class, pullback and the forward modes its
   * callers use, and the copy of its primal that callers run when they cannot call the original.
   */
  private void addHelper(Entry entry, ClassName gradient, String tapeField) {
    List<ParameterSpec> parameters = parameterSpecs(entry.function());
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(reverseMethod(entry, gradient, parameters, tapeField, null));
    entry.pullbackTangent().ifPresent(code -> methods.add(reverseMethod(entry, gradient, parameters, tapeField, code)));
    entry.tangent().ifPresent(code -> methods.add(tangentMethod(entry, parameters)));
    entry.series().ifPresent(code -> methods.add(seriesMethod(entry, code)));
    for (MethodSpec method : methods) {
      companion.addMethod(MethodSpec.methodBuilder(method.name())
          .addJavadoc(method.javadoc())
          .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .returns(method.returnType())
          .addParameters(method.parameters())
          .addCode(method.code())
          .build());
    }
    if (entry.copiesPrimal()) {
      addCopy(new Copy(entry.function(), entry.pullback().result(), entry.signature().baseName()));
    }
  }

  /**
   * A private copy of a helper, from its IR, for a companion that cannot call the original; returns
   * what was too large for a class file (ADJ280), as {@link #add(Entry)} does.
   */
  public List<String> add(Copy copy) {
    tooLarge.clear();
    addCopy(copy);
    return List.copyOf(tooLarge);
  }

  private void addCopy(Copy copy) {
    Function function = copy.function();
    Names names = new Names();
    for (Variable parameter : function.parameters()) {
      names.reserve(parameter, parameter.name());
    }
    companion.addMethod(MethodSpec.methodBuilder(copy.name())
        .addJavadoc("A copy of {@link $L}, which this class cannot call.\n", methodLink(function, Set.of()))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(function.returnType().typeName())
        .addParameters(parameterSpecs(function))
        .addCode(leafDeclarations(function, names))
        .addCode(statements(function.body().statements(), names, names.fresh("tape", "tape"), List.of(copy.result()),
            copy.name()))
        .addStatement("return $L", names.of(copy.result()))
        .build());
  }

  private static List<ParameterSpec> parameterSpecs(Function function) {
    List<ParameterSpec> parameters = new ArrayList<>();
    for (Variable parameter : function.parameters()) {
      parameters.add(ParameterSpec.builder(parameter.type().typeName(), parameter.name()).build());
    }
    return parameters;
  }

  /**
   * The Jacobian of a vector-valued function: one reverse sweep per output, each row holding the
   * partials of that output with respect to the differentiated parameters, flattened in order
   * (outputs of a {@code double[][]} row by row, of a record its leaves depth first).
   */
  private MethodSpec jacobianMethod(
      Entry entry, ClassName gradient, List<ParameterSpec> parameters, CodeBlock arguments) {
    Function function = entry.function();
    Names names = new Names();
    for (Variable parameter : function.parameters()) {
      names.reserve(parameter, parameter.name());
    }
    String value = names.fresh("value", "value");
    String outputs = names.fresh("outputs", "outputs");
    boolean flatParameters = function.records().stream().allMatch(record -> record.kind().isReceiver())
        && gradientParameters(entry).stream()
        .allMatch(parameter -> parameter.type().base() == Type.Base.DOUBLE || parameter.type().equals(Type.MATRIX));
    JavaTypes.RecordShape record = entry.publicRecordResult();
    // Named before the reverse rows', whose declarations follow it outside its block; a record's
    // tangent is a record, whose leaves the rows of the forward columns would need one by one.
    CodeBlock columns = entry.tangent().isPresent() && flatParameters && record == null
        ? forwardColumns(entry, gradientParameters(entry), outputs, names) : CodeBlock.of("");
    String rows = names.fresh("jacobian", "jacobian");
    String unit = names.fresh("unit", "output unit");
    String output = names.fresh("output", "output");
    String result = names.fresh("gradient", "jacobianGradient");
    CodeBlock.Builder partials = CodeBlock.builder();
    List<Variable> differentiated = gradientParameters(entry);
    for (int i = 0; i < differentiated.size(); i++) {
      partials.add(i == 0 ? "$L.$L()" : ", $L.$L()", result, differentiated.get(i).name());
    }
    CodeBlock primal = primalCall(function, primalArguments(entry));
    MethodSpec.Builder method = MethodSpec.methodBuilder(function.name() + "Jacobian")
        .addJavadoc("The Jacobian of {@link $L}: row i holds the partials of output i (in row-major order) with\n"
            + "respect to the differentiated parameters $L, flattened in that order (arrays row by row).\n",
            methodLink(entry), differentiated.stream().map(Variable::name).toList())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[][].class)
        .addParameters(parameters);
    if (record != null) {
      // The method runs once; its record's components are the outputs.
      String whole = names.fresh("result", "record value");
      method.addStatement("$T $L = $L", ClassName.bestGuess(record.className()), whole, primal);
      primal = CodeBlock.of("new double[] {$L}", leavesOf(record, CodeBlock.of("$L", whole)));
    }
    method.addStatement("$T $L = $L", function.returnType().typeName(), value, primal)
        .addStatement("int $L = $T.flatten($L$L).length", outputs, ADJOINTS, asOneArgument(function), value)
        .addCode(columns);
    return method
        .addStatement("$T $L = new $T()", gradient, result, gradient)
        .addStatement("double[][] $L = new double[$L][]", rows, outputs)
        .addStatement("double[] $L = new double[$L]", unit, outputs)
        .beginControlFlow("for (int $L = 0; $L < $L; $L++)", output, output, outputs, output)
        .addStatement("$L[$L] = 1.0", unit, output)
        .addStatement("$L($L$T.part($L, 0, $L), $L)", entry.signature().pullbackName(), arguments, ADJOINTS, unit,
            value, result)
        .addStatement("$L[$L] = $T.flatten($L)", rows, output, ADJOINTS, partials.build())
        .addStatement("$L[$L] = 0.0", unit, output)
        .endControlFlow()
        .addStatement("return $L", rows)
        .build();
  }


  /** A cast that passes a {@code double[][]} result to {@code Adjoints.flatten(Object...)} as one argument. */
  private static String asOneArgument(Function function) {
    return function.returnType().dimensions() == 2 ? "(Object) " : "";
  }

  /** With fewer inputs than outputs, the Jacobian column by column: one forward-mode pass per input. */
  private static CodeBlock forwardColumns(Entry entry, List<Variable> differentiated, String outputs, Names names) {
    String inputs = names.fresh("inputs", "inputs");
    names.open(); // the names below live in the if block
    String columns = names.fresh("columns", "forward jacobian");
    String column = names.fresh("column", "column");
    String derivative = names.fresh("derivative", "derivative");
    String output = names.fresh("row", "forward output");
    CodeBlock.Builder body = CodeBlock.builder()
        .addStatement("int $L = $T.flatten($L).length", inputs, ADJOINTS, valuesOf(entry.function(), differentiated))
        .beginControlFlow("if ($L < $L)", inputs, outputs)
        .add("// fewer inputs than outputs: a forward-mode column per input is cheaper than a reverse row per output\n")
        .addStatement("double[][] $L = new double[$L][$L]", columns, outputs, inputs)
        .beginControlFlow("for (int $L = 0; $L < $L; $L++)", column, column, inputs, column);
    CodeBlock arguments = unitDirection(entry, differentiated, inputs, column, false, names, body);
    names.close();
    return body.addStatement("double[] $L = $T.flatten($L$LTangent($L).derivative())", derivative, ADJOINTS,
            asOneArgument(entry.function()), entry.function().name(), arguments)
        .beginControlFlow("for (int $L = 0; $L < $L; $L++)", output, output, outputs, output)
        .addStatement("$L[$L][$L] = $L[$L]", columns, output, column, derivative, output)
        .endControlFlow()
        .endControlFlow()
        .addStatement("return $L", columns)
        .endControlFlow()
        .build();
  }


  private MethodSpec pullbackMethod(Entry entry, ClassName gradient, List<ParameterSpec> parameters, String tapeField) {
    return reverseMethod(entry, gradient, parameters, tapeField, null).toBuilder()
        .addAnnotation(metadata(entry))
        .build();
  }

  /** What callers compiled later read back from the class file, which may have lost the parameter names. */
  private static AnnotationSpec metadata(Entry entry) {
    CodeBlock.Builder names = CodeBlock.builder();
    CodeBlock.Builder differentiated = CodeBlock.builder();
    List<Variable> parameters = entry.function().parameters();
    for (int i = 0; i < parameters.size(); i++) {
      String separator = i == 0 ? "" : ", ";
      names.add("$L$S", separator, parameters.get(i).name());
      differentiated.add("$L$L", separator, entry.signature().differentiated().get(i) != null);
    }
    AnnotationSpec.Builder annotation = AnnotationSpec.builder(METADATA)
        .addMember("parameters", "{$L}", names.build())
        .addMember("differentiated", "{$L}", differentiated.build());
    for (Derivative derivative : entry.derivatives()) {
      annotation.addMember("derivatives", "$T.$L", Derivative.class, derivative.name());
    }
    if (!entry.recomputable()) {
      annotation.addMember("recomputable", "$L", false);
    }
    return annotation.build();
  }

  /**
   * {@code fPullback(args, seed, into)}, or with {@code tangent} its forward mode
   * {@code fPullbackTangent(args, seed, directions, vSeed, into, intoTangent)}, which also leaves
   * the tangents of the partials in {@code intoTangent}: what callers' Hessians call.
   */
  private MethodSpec reverseMethod(
      Entry entry, ClassName gradient, List<ParameterSpec> parameters, String tapeField, TangentCode tangent) {
    Function function = entry.function();
    Pullback pullback = entry.pullback();
    Names names = new Names();
    for (Variable parameter : function.parameters()) {
      names.reserve(parameter, parameter.name());
    }
    names.claim(tangent == null ? pullback.statements() : tangent.statements());
    String seed = names.of(pullback.seed());
    String into = names.fresh("into", "into");
    String intoTangent = names.fresh("intoTangent", "intoTangent");
    String tape = names.fresh("tape", "tape");
    Map<Variable, Variable> adjointTangents = new LinkedHashMap<>();
    if (tangent != null) {
      pullback.parameterAdjoints().forEach(
          (parameter, adjoint) -> adjointTangents.put(parameter, tangent.inputTangents().get(adjoint)));
    }
    // Named before the statements, which may move the variables into a frame (MethodSplitter).
    List<ParameterSpec> directions = new ArrayList<>();
    if (tangent != null) {
      List<Variable> inputs = new ArrayList<>(pullback.parameterAdjoints().keySet());
      inputs.add(pullback.seed());
      for (Variable input : inputs) {
        Variable direction = tangent.inputTangents().get(input);
        directions.add(ParameterSpec.builder(direction.type().typeName(), names.of(direction)).build());
      }
    }
    CodeBlock.Builder body = CodeBlock.builder();
    body.add(leafDeclarations(function, names));
    body.add(adjointDeclarations(function, pullback.parameterAdjoints(), into, names));
    body.add(adjointDeclarations(function, adjointTangents, intoTangent, names));
    if (pullback.usesTape()) {
      body.addStatement("$T $L = $L.$L()", TAPE, tape, into, tapeField);
    }
    List<Stmt> statements = new ArrayList<>();
    for (Stmt statement : tangent == null ? pullback.statements() : tangent.statements()) {
      Variable workspace = workspaceOf(statement);
      if (workspace == null) {
        statements.add(statement);
      } else {
        body.addStatement("$T $L = $L.$L()", workspace.type().typeName(), names.of(workspace), into,
            workspaceField(workspace));
      }
    }
    String methodName = entry.signature().pullbackName() + (tangent == null ? "" : "Tangent");
    body.add(statements(statements, names, tape, List.of(pullback.result()), methodName, into));
    body.add("// gradient\n");
    JavaTypes.RecordShape record = entry.publicRecordResult();
    body.addStatement("$L.value = $L", into, record == null ? CodeBlock.of("$L", names.of(pullback.result()))
        : recordFromLeaves(record, names.of(pullback.result()), new int[1]));
    body.add(gradientFields(entry, pullback.parameterAdjoints(), into, names));
    body.add(gradientFields(entry, adjointTangents, intoTangent, names));
    body.addStatement("return $L", names.of(pullback.result()));
    TypeName valueType = function.returnType().typeName();
    MethodSpec.Builder method = MethodSpec.methodBuilder(methodName)
        // a record result's pullback of leaves stands behind the public one that takes a record seed
        .addModifiers(record == null ? Modifier.PUBLIC : Modifier.PRIVATE, Modifier.STATIC)
        .returns(valueType)
        .addParameters(parameters)
        .addParameter(valueType, seed);
    if (tangent == null) {
      method.addJavadoc(isVectorValued(function)
          ? "Reverse mode of {@link $L}: writes the vector-Jacobian product of {@code $L} with respect to\n"
              + "each differentiated parameter into {@code $L} and returns the value.\n"
          : "Reverse mode of {@link $L}: writes {@code $L} times the partial derivative with\n"
              + "respect to each differentiated parameter into {@code $L} and returns the value.\n",
          methodLink(entry), seed, into);
    } else {
      method.addJavadoc("Forward mode of {@link #$L}: as that method, and writes into {@code $L} the derivatives\n"
          + "of the partials along the directions, which depend on the parameters and on the seed; for the\n"
          + "Hessians of methods that call {@link $L}.\n", entry.signature().pullbackName(), intoTangent,
          methodLink(entry));
      method.addParameters(directions);
    }
    method.addParameter(gradient, into);
    if (tangent != null) {
      method.addParameter(gradient, intoTangent);
    }
    return method.addCode(body.build()).build();
  }

  /**
   * {@code R fPullback(args, R seed, into)} of a method returning the record {@code R}: the seed is a
   * record of the same type, taken apart into the leaves the pullback of leaves takes.
   */
  private MethodSpec recordPullbackMethod(Entry entry, ClassName gradient, List<ParameterSpec> parameters,
      CodeBlock arguments) {
    JavaTypes.RecordShape record = entry.publicRecordResult();
    Names names = new Names();
    entry.function().parameters().forEach(parameter -> names.reserve(parameter, parameter.name()));
    String seed = names.fresh("seed", "seed");
    String into = names.fresh("into", "into");
    String value = names.fresh("value", "value");
    TypeName recordType = ClassName.bestGuess(record.className());
    return MethodSpec.methodBuilder(entry.signature().pullbackName())
        .addJavadoc("Reverse mode of {@link $L}: writes the vector-Jacobian product of {@code $L}, a record of the\n"
            + "result's type, with respect to each differentiated parameter into {@code $L} and returns the value.\n",
            methodLink(entry), seed, into)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(recordType)
        .addParameters(parameters)
        .addParameter(recordType, seed)
        .addParameter(gradient, into)
        .addStatement("double[] $L = $L($Lnew double[] {$L}, $L)", value, entry.signature().pullbackName(), arguments,
            leavesOf(record, CodeBlock.of("$L", seed)), into)
        .addStatement("return $L", recordFromLeaves(record, value, new int[1]))
        .build();
  }

  /** {@code new R(leaves[0], new S(leaves[1], leaves[2]))}: a record built from the array of its leaves, from {@code next[0]} on. */
  private static CodeBlock recordFromLeaves(JavaTypes.RecordShape shape, String leaves, int[] next) {
    CodeBlock.Builder components = CodeBlock.builder();
    for (int i = 0; i < shape.components().size(); i++) {
      components.add(i == 0 ? "" : ", ");
      components.add(shape.components().get(i) instanceof JavaTypes.RecordShape nested
          ? recordFromLeaves(nested, leaves, next) : CodeBlock.of("$L[$L]", leaves, next[0]++));
    }
    return CodeBlock.of("new $T($L)", ClassName.bestGuess(shape.className()), components.build());
  }

  /** {@code r.a(), r.b().c()}: the leaves of the record {@code access}, depth first. */
  private static CodeBlock leavesOf(JavaTypes.RecordShape shape, CodeBlock access) {
    CodeBlock.Builder leaves = CodeBlock.builder();
    for (int i = 0; i < shape.components().size(); i++) {
      leaves.add(i == 0 ? "" : ", ");
      CodeBlock component = CodeBlock.of("$L.$L()", access, shape.accessors().get(i));
      leaves.add(shape.components().get(i) instanceof JavaTypes.RecordShape nested
          ? leavesOf(nested, component) : component);
    }
    return leaves.build();
  }

  /**
   * The code of {@code statements} in the generated method {@code methodName}, split into the
   * methods of a frame class when they would be too large for one.
   */
  private CodeBlock statements(
      List<Stmt> statements, Names names, String tape, List<Variable> liveOut, String methodName) {
    return statements(statements, names, tape, liveOut, methodName, null);
  }

  /**
   * As above; a split method with a gradient object {@code keeper} (its {@code into}) takes its
   * frame from there, so that calls with a reused gradient object allocate nothing once warm.
   */
  private CodeBlock statements(List<Stmt> statements, Names names, String tape, List<Variable> liveOut,
      String methodName, String keeper) {
    String frame = Identifiers.capitalize(methodName) + "Frame";
    for (int i = 2; frameNames.contains(frame); i++) {
      frame = Identifiers.capitalize(methodName) + "Frame" + i;
    }
    int before = frames.size();
    CodeBlock source = keeper == null ? null : CodeBlock.of("$L.$L()", keeper, frameField(frame));
    CodeBlock code = MethodSplitter.statements(
        statements, names, tape, liveOut, methodName, frame, source, frames, tooLarge, functionObjects::use);
    if (frames.size() > before) {
      frameNames.add(frame);
      if (keeper != null) {
        keptFrames.add(frame);
      }
    }
    return code;
  }

  /** The field (and its getter) of a gradient object that keeps the frame {@code frame}. */
  private static String frameField(String frame) {
    return Character.toLowerCase(frame.charAt(0)) + frame.substring(1);
  }

  /** Each differentiated parameter's adjoint in {@code adjoints}: arrays are the gradient object's, zeroed. */
  private static CodeBlock adjointDeclarations(
      Function function, Map<Variable, Variable> adjoints, String into, Names names) {
    CodeBlock.Builder body = CodeBlock.builder();
    for (Map.Entry<Variable, Variable> adjoint : adjoints.entrySet()) {
      Variable parameter = adjoint.getKey();
      String name = names.of(adjoint.getValue());
      boolean ownField = function.parameters().contains(parameter) || isField(function, parameter);
      if (parameter.type().isArray() && ownField) {
        // The caller's gradient object keeps its arrays: they are zeroed and reused.
        body.addStatement("$L.$L = $T.zeroedLike($L, $L.$L)", into, parameter.name(), ADJOINTS,
            valueOf(function, parameter), into, parameter.name());
        body.addStatement("$T $L = $L.$L", parameter.type().typeName(), name, into, parameter.name());
      } else if (parameter.type().isArray()) {
        body.addStatement("$T $L = $T.zeroedLike($L, null)", parameter.type().typeName(), name, ADJOINTS,
            names.of(parameter));
      } else {
        body.addStatement("$T $L = $L", parameter.type().typeName(), name, CodeWriter.zeroOf(parameter.type()));
      }
    }
    return body.build();
  }

  /** {@code into.x = adjoint} for each partial not already in place (arrays are). */
  private static CodeBlock gradientFields(Entry entry, Map<Variable, Variable> adjoints, String into, Names names) {
    CodeBlock.Builder body = CodeBlock.builder();
    if (adjoints.isEmpty()) {
      return body.build();
    }
    Function function = entry.function();
    for (Variable parameter : gradientParameters(entry)) {
      RecordParameter record = recordOf(function, parameter);
      if (record != null) {
        body.addStatement("$L.$L = $L", into, parameter.name(), partialOf(record.component(), adjoints, names));
      } else if (!parameter.type().isArray()) {
        body.addStatement("$L.$L = $L", into, parameter.name(), partialOf(parameter, adjoints, names));
      }
    }
    return body.build();
  }

  /** Whether the function returns a {@code double[]} or a {@code Matrix}, rather than a {@code double}. */
  private static boolean isVectorValued(Function function) {
    return !function.returnType().equals(Type.DOUBLE);
  }

  /** The record structure of {@code parameter}, or null when it is not a record. */
  private static RecordParameter recordOf(Function function, Variable parameter) {
    return function.records().stream().filter(record -> record.parameter() == parameter).findFirst().orElse(null);
  }

  /**
   * The variables that get a partial in the gradient class: the receiver's fields that {@code wrt}
   * names, then the parameters (records whole, not their leaves).
   */
  private static List<Variable> gradientParameters(Entry entry) {
    List<Variable> partials = new ArrayList<>(differentiatedFields(entry));
    List<String> names = entry.signature().differentiated();
    entry.function().parameters().stream().filter(p -> names.contains(p.name())).forEach(partials::add);
    return partials;
  }

  /** The receiver's fields that {@code wrt} names, as the variables that hold them. */
  private static List<Variable> differentiatedFields(Entry entry) {
    Optional<RecordParameter> receiver = entry.function().receiver();
    return receiver.isEmpty() ? List.of() : entry.signature().fields().stream()
        .map(field -> receiver.get().leafNamed(field)).filter(java.util.Objects::nonNull).toList();
  }

  /** Whether {@code variable} holds a field of the receiver. */
  private static boolean isField(Function function, Variable variable) {
    return function.receiver().map(receiver -> receiver.leafNamed(variable.name()) == variable).orElse(false);
  }

  /**
   * How any generated method of {@code function} reads a parameter, or a field of the receiver
   * ({@code pkModel.times}, or {@code pkModel.times()} for a record).
   */
  private static CodeBlock valueOf(Function function, Variable variable) {
    Optional<RecordParameter> receiver = function.receiver();
    if (receiver.isEmpty() || !isField(function, variable)) {
      return CodeBlock.of("$L", variable.name());
    }
    return CodeBlock.of(receiver.get().kind().readsFields() ? "$L.$L" : "$L.$L()",
        receiver.get().parameter().name(), variable.name());
  }

  /** A call of the original method with {@code arguments}: on its receiver, the first, for an instance method. */
  private CodeBlock primalCall(Function function, List<CodeBlock> arguments) {
    if (function.receiver().isPresent()) {
      return CodeBlock.of("$L.$L($L)", arguments.get(0), function.name(),
          CodeBlock.join(arguments.subList(1, arguments.size()), ", "));
    }
    return CodeBlock.of("$T.$L($L)", ClassName.bestGuess(ownerQualifiedName), function.name(),
        CodeBlock.join(arguments, ", "));
  }

  /** The leaves of every record parameter, read once at the start of a generated method. */
  private static CodeBlock leafDeclarations(Function function, Names names) {
    CodeBlock.Builder body = CodeBlock.builder();
    for (RecordParameter record : function.records()) {
      declareLeaves(record.component(), CodeBlock.of("$L", record.parameter().name()), record.kind().readsFields(),
          leaf -> leaf, names, body);
    }
    return body.build();
  }

  /**
   * {@code Matrix paramsW = params.W();} for each leaf of a record ({@code double[] times =
   * pkModel.times;} for the fields of a class), declaring {@code variableOf(leaf)} (leaves it maps
   * to null are skipped).
   */
  private static void declareLeaves(RecordParameter.Component component, CodeBlock access, boolean fields,
      java.util.function.UnaryOperator<Variable> variableOf, Names names, CodeBlock.Builder body) {
    for (RecordParameter.Component child : component.children()) {
      CodeBlock childAccess = CodeBlock.of(fields ? "$L.$L" : "$L.$L()", access, child.accessor());
      Variable variable = child.isLeaf() ? variableOf.apply(child.leaf()) : null;
      if (variable != null) {
        body.addStatement("$T $L = $L", variable.type().typeName(), names.of(variable), childAccess);
      } else if (!child.isLeaf()) {
        declareLeaves(child, childAccess, false, variableOf, names, body);
      }
    }
  }

  /** A record of the leaves' partials, with the same type and the primal values where nothing is differentiated. */
  private static CodeBlock partialOf(
      RecordParameter.Component component, Map<Variable, Variable> adjoints, Names names) {
    if (component.isLeaf()) {
      return partialOf(component.leaf(), adjoints, names);
    }
    CodeBlock.Builder arguments = CodeBlock.builder();
    for (int i = 0; i < component.children().size(); i++) {
      arguments.add(i == 0 ? "$L" : ", $L", partialOf(component.children().get(i), adjoints, names));
    }
    return CodeBlock.of("new $T($L)", ClassName.bestGuess(component.className()), arguments.build());
  }

  /** A value's partial: its adjoint, zeros for a matrix nothing reached, the value itself for data. */
  private static CodeBlock partialOf(Variable value, Map<Variable, Variable> adjoints, Names names) {
    Variable adjoint = adjoints.get(value);
    if (adjoint == null) {
      return CodeBlock.of("$L", names.of(value));
    }
    if (value.type().base() == Type.Base.MATRIX) {
      return CodeBlock.of("$T.orZeros($L, $L)", ADJOINTS, names.of(adjoint), names.of(value));
    }
    return CodeBlock.of("$L", names.of(adjoint));
  }

  private TypeSpec gradientClass(Entry entry, ClassName gradient, String tapeField) {
    Function function = entry.function();
    TypeName valueType = entry.publicRecordResult() != null ? ClassName.bestGuess(entry.publicRecordResult().className())
        : function.returnType().typeName();
    TypeSpec.Builder type = TypeSpec.classBuilder(gradient)
        .addModifiers(entry.helper() ? Modifier.PRIVATE : Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The value of {@link $L} and its partial derivatives.\n", methodLink(entry))
        .addField(valueType, "value", Modifier.PRIVATE)
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).build())
        .addMethod(MethodSpec.methodBuilder("value")
            .addJavadoc("The function's value.\n")
            .addModifiers(Modifier.PUBLIC)
            .returns(valueType)
            .addStatement("return value")
            .build());
    CodeBlock.Builder text = entry.publicRecordResult() != null
        ? CodeBlock.builder().add("return $S + value", gradient.simpleName() + "{value=")
        : function.returnType().dimensions() == 2
        ? CodeBlock.builder().add("return $S + $T.deepToString(value)", gradient.simpleName() + "{value=", ARRAYS)
        : function.returnType().isArray()
        ? CodeBlock.builder().add("return $S + $T.toString(value)", gradient.simpleName() + "{value=", ARRAYS)
        : CodeBlock.builder().add("return $S + value", gradient.simpleName() + "{value=");
    for (Variable parameter : gradientParameters(entry)) {
      type.addField(parameter.type().typeName(), parameter.name(), Modifier.PRIVATE);
      type.addMethod(MethodSpec.methodBuilder(parameter.name())
          .addJavadoc("The partial derivative with respect to $L{@code $L}$L.\n",
              isField(function, parameter) ? "the field " : "", parameter.name(),
              parameter.type().isArray() ? ", one entry per element" : "")
          .addModifiers(Modifier.PUBLIC)
          .returns(parameter.type().typeName())
          .addStatement("return $L", parameter.name())
          .build());
      if (parameter.type().dimensions() == 2) {
        text.add(" + $S + $T.deepToString($L)", ", " + parameter.name() + "=", ARRAYS, parameter.name());
      } else if (parameter.type().isArray()) {
        text.add(" + $S + $T.toString($L)", ", " + parameter.name() + "=", ARRAYS, parameter.name());
      } else {
        text.add(" + $S + $L", ", " + parameter.name() + "=", parameter.name());
      }
    }
    text.add(" + $S", "}");
    type.addMethod(MethodSpec.methodBuilder("toString")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(String.class)
        .addStatement("$L", text.build())
        .build());
    for (Variable workspace : workspaces(entry)) {
      kept(type, workspace.type().typeName(), workspaceField(workspace),
          "The gradient object of a callee, kept between calls so that calls in loops allocate nothing.\n");
    }
    for (String frame : keptFrames) {
      kept(type, ClassName.get("", frame), frameField(frame),
          "The frame of a generated method too large for one, kept between calls.\n");
    }
    if (entry.pullback().usesTape()) {
      type.addField(FieldSpec.builder(TAPE, tapeField, Modifier.PRIVATE)
          .addJavadoc("Kept between calls so that a reused gradient object allocates nothing once warm.\n")
          .build());
      type.addMethod(MethodSpec.methodBuilder(tapeField)
          .addModifiers(Modifier.PRIVATE)
          .returns(TAPE)
          .beginControlFlow("if ($L == null)", tapeField)
          .addStatement("$L = new $T()", tapeField, TAPE)
          .endControlFlow()
          .addStatement("$L.clear()", tapeField)
          .addStatement("return $L", tapeField)
          .build());
    }
    return type.build();
  }

  /** A private field of {@code type} and its getter, which creates the object on first use. */
  private static void kept(TypeSpec.Builder type, TypeName fieldType, String field, String javadoc) {
    type.addField(FieldSpec.builder(fieldType, field, Modifier.PRIVATE).addJavadoc(javadoc).build());
    type.addMethod(MethodSpec.methodBuilder(field)
        .addModifiers(Modifier.PRIVATE)
        .returns(fieldType)
        .beginControlFlow("if ($L == null)", field)
        .addStatement("$L = new $T()", field, fieldType)
        .endControlFlow()
        .addStatement("return $L", field)
        .build());
  }

  /**
   * The callees' gradient objects that the reverse methods declare before their first statement:
   * the caller's gradient object keeps them ({@link #workspaceOf}).
   */
  private static List<Variable> workspaces(Entry entry) {
    List<Variable> workspaces = new ArrayList<>();
    List<Stmt> statements = new ArrayList<>(entry.pullback().statements());
    entry.pullbackTangent().ifPresent(code -> statements.addAll(code.statements()));
    for (Stmt statement : statements) {
      Variable workspace = workspaceOf(statement);
      if (workspace != null && !workspaces.contains(workspace)) {
        workspaces.add(workspace);
      }
    }
    return workspaces;
  }

  /** The variable of a top-level declaration of a callee's gradient object ({@code new TermGradient()}), or null. */
  private static Variable workspaceOf(Stmt statement) {
    return statement instanceof Stmt.Declare declare && declare.init() == null
        && declare.variable().type().base() == Type.Base.OBJECT ? declare.variable() : null;
  }

  /** The field of the caller's gradient object that keeps a callee's gradient object. */
  private static String workspaceField(Variable workspace) {
    return workspace.name() + "Workspace";
  }

  /** The gradient class's tape field: {@code tape}, unless a parameter or partial already has that name. */
  private static String tapeFieldName(List<Variable> partials) {
    String name = "tape";
    while (true) {
      String candidate = name;
      if (partials.stream().noneMatch(p -> p.name().equals(candidate))) {
        return name;
      }
      name = name + "_";
    }
  }

  /**
   * The parameters as arguments of the original method: a {@code float} parameter, which generated
   * methods take as a double, narrowed back.
   */
  private static List<CodeBlock> primalArguments(Entry entry) {
    List<CodeBlock> arguments = new ArrayList<>();
    for (Variable parameter : entry.function().parameters()) {
      arguments.add(entry.floatParameters().contains(parameter.name())
          ? CodeBlock.of("(float) $L", parameter.name()) : CodeBlock.of("$L", parameter.name()));
    }
    return arguments;
  }


  private String methodLink(Entry entry) {
    return methodLink(entry.function(), entry.floatParameters());
  }

  private String methodLink(Function function, Set<String> floatParameters) {
    StringBuilder link = new StringBuilder(ownerQualifiedName).append('#').append(function.name()).append('(');
    int first = function.receiver().isPresent() ? 1 : 0;
    for (int i = first; i < function.parameters().size(); i++) {
      Variable parameter = function.parameters().get(i);
      link.append(i == first ? "" : ", ").append(floatParameters.contains(parameter.name()) ? "float" : parameter.type());
    }
    return link.append(')').toString();
  }

  /** Ties the generated file to the user's class, for incremental builds. */
  public void addOriginatingElement(javax.lang.model.element.Element element) {
    companion.addOriginatingElement(element);
  }

  /**
   * {@code Dual fTangent(args, dx, ...)}: value and directional derivative by forward mode; a
   * {@code DualVector} of arrays for a {@code double[]}-valued function.
   */
  private MethodSpec tangentMethod(Entry entry, List<ParameterSpec> parameters) {
    TangentCode code = entry.tangent().orElseThrow();
    Names names = new Names();
    boolean vector = isVectorValued(entry.function());
    JavaTypes.RecordShape recordResult = entry.publicRecordResult();
    TypeName dualType = recordResult == null
        ? ClassName.bestGuess(ForwardTransform.dualClassOf(entry.function().returnType()))
        : ParameterizedTypeName.get(DUAL_RECORD, ClassName.bestGuess(recordResult.className()));
    MethodSpec.Builder method = MethodSpec.methodBuilder(entry.signature().tangentName())
        .addJavadoc("Forward mode of {@link $L}: its value and its derivative along the direction\n"
            + "{@code ($L)}.\n", methodLink(entry),
            String.join(", ", gradientParameters(entry).stream().map(parameter -> "d" + parameter.name()).toList()))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(dualType)
        .addParameters(parameters);
    for (Variable parameter : entry.function().parameters()) {
      names.reserve(parameter, parameter.name());
    }
    names.claim(code.statements());
    CodeBlock leafTangents = directionParameters(entry, code, name -> "d" + name, method, names);
    String tape = names.fresh("tape", "tape");
    method.addCode(leafDeclarations(entry.function(), names));
    method.addCode(leafTangents);
    Variable result = entry.pullback().result();
    Variable derivative = code.outputTangents().get(result);
    List<Variable> liveOut = derivative == null ? List.of(result) : List.of(result, derivative);
    method.addCode(statements(code.statements(), names, tape, liveOut, entry.signature().tangentName()));
    CodeBlock zero = entry.function().returnType().dimensions() == 2
        ? CodeBlock.of("$T.zeroedLike($L, null)", ADJOINTS, names.of(result))
        : entry.function().returnType().isArray()
        ? CodeBlock.of("new double[$L.length]", names.of(result))
        : vector ? CodeBlock.of("$T.zeros($L.rows(), $L.cols())", MATRIX, names.of(result), names.of(result))
        : CodeBlock.of("0.0");
    if (recordResult != null) {
      String derivativeLeaves = derivative != null ? names.of(derivative) : names.fresh("derivative", "zero derivative");
      if (derivative == null) {
        method.addStatement("double[] $L = $L", derivativeLeaves, zero);
      }
      method.addStatement("return new $T<>($L, $L)", DUAL_RECORD, recordFromLeaves(recordResult, names.of(result), new int[1]),
          recordFromLeaves(recordResult, derivativeLeaves, new int[1]));
      return method.build();
    }
    method.addStatement("return new $T($L, $L)", dualType, names.of(result),
        derivative == null ? zero : CodeBlock.of("$L", names.of(derivative)));
    return method.build();
  }

  /**
   * Adds a direction parameter per differentiated parameter ({@code dx} for a tangent, {@code vX}
   * for H·v); a record's direction is a record of the same type, whose leaves the returned code
   * reads into the leaf directions.
   */
  private static CodeBlock directionParameters(Entry entry, TangentCode code,
      java.util.function.UnaryOperator<String> directionName, MethodSpec.Builder method, Names names) {
    CodeBlock.Builder leafDirections = CodeBlock.builder();
    for (Variable parameter : gradientParameters(entry)) {
      RecordParameter record = recordOf(entry.function(), parameter);
      if (record == null) {
        Variable direction = code.inputTangents().get(parameter);
        method.addParameter(direction.type().typeName(), names.of(direction));
      } else {
        String direction = names.fresh(directionName.apply(parameter.name()), record);
        method.addParameter(parameter.type().typeName(), direction);
        declareLeaves(record.component(), CodeBlock.of("$L", direction), false, code.inputTangents()::get, names,
            leafDirections);
      }
    }
    return leafDirections.build();
  }

  /** {@code double[] fDerivatives(args, order)}: f and its derivatives up to order, by Taylor mode. */
  private MethodSpec derivativesMethod(Entry entry, List<ParameterSpec> parameters) {
    TaylorTransform.TaylorCode code = entry.taylor().orElseThrow();
    Names names = new Names();
    for (Variable parameter : entry.function().parameters()) {
      names.reserve(parameter, parameter.name());
    }
    names.claim(code.statements());
    String order = names.of(code.order());
    return MethodSpec.methodBuilder(entry.function().name() + "Derivatives")
        .addJavadoc("{@link $L} and its derivatives with respect to {@code $L}: element k is the k-th\n"
            + "derivative, for k from 0 to {@code $L}, by Taylor-series arithmetic.\n", methodLink(entry),
            entry.function().differentiated().get(0).name(), order)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[].class)
        .addParameters(parameters)
        .addParameter(int.class, order)
        .addCode(leafDeclarations(entry.function(), names))
        .addCode(statements(code.statements(), names, "tape", List.of(code.result()),
            entry.function().name() + "Derivatives"))
        .addStatement("return $T.derivatives($L)", TAYLOR, names.of(code.result()))
        .build();
  }

  /**
   * {@code double[] fSeries(xSeries, ..., order)}: the Taylor series of the result from the series of
   * the double parameters (the other parameters as they are), for callers' Taylor modes.
   */
  private MethodSpec seriesMethod(Entry entry, TaylorTransform.TaylorCode code) {
    Names names = new Names();
    MethodSpec.Builder method = MethodSpec.methodBuilder(entry.signature().baseName() + "Series")
        .addJavadoc("Taylor mode of {@link $L} for its callers' Taylor modes: the truncated Taylor series of its\n"
            + "value from those of its double parameters, of degree {@code order}.\n", methodLink(entry))
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[].class);
    for (Variable parameter : entry.function().parameters()) {
      Variable series = code.inputs().get(parameter);
      Variable named = series == null ? parameter : series;
      method.addParameter(named.type().typeName(), names.reserve(named, named.name()));
    }
    names.claim(code.statements());
    String order = names.of(code.order());
    return method.addParameter(int.class, order)
        .addCode(leafDeclarations(entry.function(), names))
        .addCode(new CodeWriter(names, "tape", functionObjects::use).statements(code.statements()))
        .addStatement("return $L", names.of(code.result()))
        .build();
  }

  /** {@code double[] fHessianVector(args, vx, ...)}: H·v by forward over reverse, flattened. */
  private MethodSpec hessianVectorMethod(Entry entry, List<ParameterSpec> parameters) {
    TangentCode code = entry.hessianVector().orElseThrow();
    Pullback pullback = entry.pullback();
    Names names = new Names();
    MethodSpec.Builder method = MethodSpec.methodBuilder(entry.function().name() + "HessianVector")
        .addJavadoc("The Hessian of {@link $L} times the direction {@code v}, by forward mode over the\n"
            + "reverse sweep, flattened like the parameters $L.\n", methodLink(entry),
            gradientParameters(entry).stream().map(Variable::name).toList())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[].class)
        .addParameters(parameters);
    for (Variable parameter : entry.function().parameters()) {
      names.reserve(parameter, parameter.name());
    }
    names.claim(code.statements());
    CodeBlock leafDirections = directionParameters(entry, code, name -> "v" + Identifiers.capitalize(name), method, names);
    String tape = names.fresh("tape", "tape");
    CodeBlock.Builder body = CodeBlock.builder();
    body.add(leafDeclarations(entry.function(), names));
    body.add(leafDirections);
    body.addStatement("double $L = 1.0", names.of(pullback.seed()));
    for (Map.Entry<Variable, Variable> adjoint : pullback.parameterAdjoints().entrySet()) {
      Variable parameter = adjoint.getKey();
      for (Variable zeroed : List.of(adjoint.getValue(), code.inputTangents().get(adjoint.getValue()))) {
        if (code.unused().contains(zeroed)) {
          continue;
        }
        if (parameter.type().isArray()) {
          body.addStatement("$T $L = $T.zeroedLike($L, null)", parameter.type().typeName(), names.of(zeroed),
              ADJOINTS, valueOf(entry.function(), parameter));
        } else {
          body.addStatement("double $L = 0.0", names.of(zeroed));
        }
      }
    }
    if (code.usesTape()) {
      // No gradient object to keep a tape in: the thread's spare one stops allocating once warm.
      body.addStatement("$T $L = $T.borrow()", TAPE, tape, TAPE).beginControlFlow("try");
    }
    List<Variable> outputs = List.copyOf(code.outputTangents().values());
    body.add(statements(code.statements(), names, tape, outputs, entry.function().name() + "HessianVector"));
    body.addStatement("return $T.flatten($L)", ADJOINTS, namesOf(outputs, names));
    if (code.usesTape()) {
      body.nextControlFlow("finally").addStatement("$T.giveBack($L)", TAPE, tape).endControlFlow();
    }
    return method.addCode(body.build()).build();
  }

  /** {@code double[][] fHessian(args)}: one Hessian-vector product per unit direction. */
  private MethodSpec hessianMethod(Entry entry, List<ParameterSpec> parameters) {
    Names names = new Names();
    for (Variable parameter : entry.function().parameters()) {
      names.reserve(parameter, parameter.name());
    }
    String size = names.fresh("size", "size");
    String hessian = names.fresh("hessian", "hessian");
    String row = names.fresh("row", "row");
    List<Variable> differentiated = List.copyOf(entry.pullback().parameterAdjoints().keySet());
    CodeBlock.Builder body = CodeBlock.builder()
        .add(leafDeclarations(entry.function(), names))
        .addStatement("int $L = $T.flatten($L).length", size, ADJOINTS, namesOf(differentiated, names))
        .addStatement("double[][] $L = new double[$L][]", hessian, size)
        .beginControlFlow("for (int $L = 0; $L < $L; $L++)", row, row, size, row);
    CodeBlock arguments = unitDirection(entry, differentiated, size, row, true, names, body);
    body.addStatement("$L[$L] = $LHessianVector($L)", hessian, row, entry.function().name(), arguments)
        .endControlFlow()
        .addStatement("return $L", hessian);
    return MethodSpec.methodBuilder(entry.function().name() + "Hessian")
        .addJavadoc("The Hessian of {@link $L} over the parameters $L, flattened in order (arrays row by\n"
            + "row, records component by component).\n",
            methodLink(entry), gradientParameters(entry).stream().map(Variable::name).toList())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[][].class)
        .addParameters(parameters)
        .addCode(body.build())
        .build();
  }

  /**
   * Declares the unit direction {@code index} of {@code size}, split into one direction per
   * differentiated value ({@code vX}, shaped like {@code x}; one per leaf of a record), and returns
   * the arguments of a call with the function's parameters and those directions (a record's
   * direction a record of the same type, whose data components keep their values). Without
   * {@code leavesDeclared} (no {@link #leafDeclarations} before), a field's value is read from the receiver.
   */
  private static CodeBlock unitDirection(Entry entry, List<Variable> leaves, String size, String index,
      boolean leavesDeclared, Names names, CodeBlock.Builder body) {
    String unit = names.fresh("unit", "unit");
    String offset = names.fresh("offset", "offset");
    body.addStatement("double[] $L = new double[$L]", unit, size)
        .addStatement("$L[$L] = 1.0", unit, index)
        .addStatement("int $L = 0", offset);
    CodeBlock.Builder arguments = CodeBlock.builder();
    for (Variable parameter : entry.function().parameters()) {
      arguments.add("$L, ", parameter.name());
    }
    Map<Variable, Variable> directions = new java.util.HashMap<>();
    for (Variable leaf : leaves) {
      Variable direction = new Variable("v" + Identifiers.capitalize(leaf.name()), leaf.type(), Variable.Role.SYNTHETIC);
      directions.put(leaf, direction);
      CodeBlock like = leavesDeclared ? CodeBlock.of("$L", names.of(leaf)) : valueOf(entry.function(), leaf);
      body.addStatement("$T $L = $T.part($L, $L, $L)", leaf.type().typeName(), names.declare(direction), ADJOINTS, unit,
          offset, like);
      body.addStatement("$L += $T.flatten($L$L).length", offset, ADJOINTS,
          leaf.type().dimensions() == 2 ? "(Object) " : "", like);
    }
    List<Variable> parameters = gradientParameters(entry);
    for (int i = 0; i < parameters.size(); i++) {
      RecordParameter record = recordOf(entry.function(), parameters.get(i));
      arguments.add(i == 0 ? "$L" : ", $L", record == null ? names.of(directions.get(parameters.get(i)))
          : partialOf(record.component(), directions, names));
    }
    return arguments.build();
  }

  /** The variables as the arguments of {@code Adjoints.flatten}: a lone {@code double[][]} as one Object. */
  private static CodeBlock namesOf(List<Variable> variables, Names names) {
    CodeBlock.Builder list = CodeBlock.builder();
    if (variables.size() == 1 && variables.get(0).type().dimensions() == 2) {
      return list.add("(Object) $L", names.of(variables.get(0))).build();
    }
    for (int i = 0; i < variables.size(); i++) {
      list.add(i == 0 ? "$L" : ", $L", names.of(variables.get(i)));
    }
    return list.build();
  }

  private static CodeBlock valuesOf(Function function, List<Variable> variables) {
    return CodeBlock.join(variables.stream().map(variable -> valueOf(function, variable)).toList(), ", ");
  }


  /**
   * {@code DifferentiableFunction.of(name, parameters, value, gradient)} for one method, calling
   * the original and the generated gradient with unboxed arguments.
   */
  private CodeBlock description(Entry entry, ClassName gradient) {
    Function function = entry.function();
    CodeBlock.Builder parameters = CodeBlock.builder();
    CodeBlock.Builder unboxed = CodeBlock.builder();
    List<Variable> all = function.parameters();
    List<CodeBlock> arguments = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Variable parameter = all.get(i);
      boolean differentiated = entry.signature().differentiated().get(i) != null;
      parameters.add(i == 0 ? "new $T($S, $T.class, $L)" : ",\n new $T($S, $T.class, $L)",
          PARAMETER, parameter.name(), parameter.type().typeName(), differentiated);
      unboxed.add(i == 0 ? "($T) arguments[$L]" : ", ($T) arguments[$L]", parameter.type().typeName(), i);
      arguments.add(CodeBlock.of(i == 0 && function.receiver().isPresent() ? "(($T) arguments[$L])" : "($T) arguments[$L]",
          parameter.type().typeName(), i));
    }
    CodeBlock.Builder partials = CodeBlock.builder();
    CodeBlock.Builder tangents = CodeBlock.builder().add("$L", unboxed.build());
    // The checks perturb arguments: the partials of the receiver's fields are not among them.
    List<Variable> differentiated = new ArrayList<>(gradientParameters(entry));
    differentiated.removeAll(differentiatedFields(entry));
    for (int i = 0; i < differentiated.size(); i++) {
      partials.add(i == 0 ? "gradient.$L()" : ", gradient.$L()", differentiated.get(i).name());
      tangents.add(", ($T) tangents[$L]", differentiated.get(i).type().typeName(), i);
    }
    CodeBlock.Builder modes = CodeBlock.builder();
    // The forward mode and Hessian of a method with differentiated fields take the fields' directions too.
    boolean onlyParameters = differentiatedFields(entry).isEmpty();
    if (entry.tangent().isPresent() && onlyParameters) {
      modes.add("\n.withTangent((arguments, tangents) -> $LTangent($L).derivative())", function.name(),
          tangents.build());
    }
    if (entry.hessianVector().isPresent() && onlyParameters) {
      modes.add("\n.withHessian(arguments -> $LHessian($L))", function.name(), unboxed.build());
    }
    return CodeBlock.builder()
        .add("$T.of($S,\n", FUNCTION, function.name())
        .indent()
        .add("$T.of($L),\n", LIST, parameters.build())
        .add(primalValue(entry, unboxed.build(), arguments))
        .add("arguments -> {\n")
        .indent()
        .add("$T gradient = $L($L);\n", gradient, function.name(), unboxed.build())
        .add("return new Object[] {$L};\n", partials.build())
        .unindent()
        .add("})")
        .add(modes.build())
        .unindent()
        .build();
  }

  /**
   * The value function the checks compare the gradient with: the original method, or, when it has
   * {@code float} parameters (computed in double precision by the derivative code, in float by
   * Java), the companion's own value, of which the partials are the exact derivatives.
   */
  private CodeBlock primalValue(Entry entry, CodeBlock unboxed, List<CodeBlock> arguments) {
    return entry.floatParameters().isEmpty()
        ? CodeBlock.of("arguments -> $L,\n", primalCall(entry.function(), arguments))
        : CodeBlock.of("arguments -> $L($L).value(),\n", entry.function().name(), unboxed);
  }


  public JavaFile build() {
    functionObjects.classes().forEach(companion::addType);
    if (!descriptions.isEmpty()) {
      companion.addMethod(MethodSpec.methodBuilder("functions")
          .addJavadoc("One description per scalar {@code @Differentiable} method, with its forward mode and\n"
              + "Hessian where generated, for {@code GradientChecks.of(functions()).dynamicTests()}.\n")
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(com.palantir.javapoet.ParameterizedTypeName.get(LIST, FUNCTION))
          .addCode("return $T.of(\n$>$L$<);\n", LIST, CodeBlock.join(descriptions, ",\n"))
          .build());
    }
    companion.addTypes(gradientClasses);
    companion.addTypes(frames);
    return JavaFile.builder(packageName, companion.build())
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
  }
}
