package dev.adjoint.processor.rules;

import dev.adjoint.processor.diagnostics.CompileError;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.frontend.JavaTypes;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.FunctionShape;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Every derivative rule the processor knows, keyed by function. Built-in rules (the runtime's
 * {@code MathRules}) and users' rules are read the same way: from {@code @DerivativeRule}
 * methods, so adding a rule never touches the transforms.
 */
public final class RuleCatalogue {
  public static final String ANNOTATION = "dev.adjoint.DerivativeRule";
  /** The runtime's rule classes, read like users' rules. */
  public static final List<String> BUILT_IN_RULES =
      List.of("dev.adjoint.runtime.rules.MathRules", "dev.adjoint.runtime.rules.MatrixRules",
          "dev.adjoint.runtime.rules.SecondOrderRules", "dev.adjoint.runtime.rules.MatrixTangentRules",
          "dev.adjoint.runtime.rules.LinearAlgebraRules", "dev.adjoint.runtime.rules.LinearAlgebraTangentRules",
          "dev.adjoint.runtime.rules.SpecialRules", "dev.adjoint.runtime.rules.SpecialSecondOrderRules",
          "dev.adjoint.runtime.rules.LogDensityRules", "dev.adjoint.runtime.rules.LogDensitySecondOrderRules",
          "dev.adjoint.runtime.rules.OdeRules", "dev.adjoint.runtime.rules.OdeOptionsRules",
          "dev.adjoint.runtime.rules.RootsRules", "dev.adjoint.runtime.rules.QuadratureRules");
  private static final String MATH = "java.lang.Math";
  private static final String STRICT_MATH = "java.lang.StrictMath";

  /** A function by owner, name and parameter types (overloads differ). */
  public record FunctionKey(String owner, String name, List<Type> parameterTypes) {}

  private final Elements elements;
  private final Reporter reporter;
  private final Map<FunctionKey, List<Optional<Callee.PartialRule>>> partials = new HashMap<>();
  /** Rules in the tangent form ({@code tangent = true}), for forward mode through non-scalar functions. */
  private final Map<FunctionKey, List<Optional<Callee.PartialRule>>> tangents = new HashMap<>();
  private boolean builtInsLoaded;

  public RuleCatalogue(Elements elements, Reporter reporter) {
    this.elements = elements;
    this.reporter = reporter;
  }

  /**
   * The functions of java.lang.Math (and StrictMath) that the runtime's MathRules differentiate, for
   * messages; a test checks it against MathRules.
   */
  public static final List<String> MATH_CATALOGUE = List.of(
      "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "exp", "expm1",
      "log", "log10", "log1p", "sqrt", "cbrt", "pow", "hypot", "abs", "max", "min", "signum", "floor",
      "ceil", "rint", "toRadians", "toDegrees", "nextUp", "nextDown", "ulp", "nextAfter", "copySign",
      "scalb", "fma", "clamp");

  /**
   * The error for a call that a differentiated value flows into, at argument {@code argument}
   * (counting from 1), and that has no rule for it: a Math function outside the catalogue gets the
   * catalogue listed.
   */
  public static CompileError missingRule(Object tree, String ownerQualifiedName, String name, int argument) {
    String owner = ownerQualifiedName.substring(ownerQualifiedName.lastIndexOf('.') + 1) + "." + name;
    if (MATH.equals(ownerQualifiedName) || STRICT_MATH.equals(ownerQualifiedName)) {
      return new CompileError(tree, Message.NOT_IN_CATALOGUE, owner, argument, String.join(", ", MATH_CATALOGUE));
    }
    return new CompileError(tree, Message.NO_DERIVATIVE_RULE, owner, argument);
  }

  /** Whether the runtime's built-in rules were found on the classpath. */
  public boolean loadBuiltIns() {
    if (!builtInsLoaded) {
      for (String rulesClass : BUILT_IN_RULES) {
        TypeElement rules = elements.getTypeElement(rulesClass);
        if (rules == null) {
          return false;
        }
        for (ExecutableElement method : ElementFilter.methodsIn(rules.getEnclosedElements())) {
          if (ruleAnnotation(method) != null && !forFunctionThisJdkLacks(method)) {
            add(method);
          }
        }
      }
      builtInsLoaded = true;
    }
    return true;
  }

  /** Whether a built-in rule is for a function newer than the JDK compiled against (Math.clamp before Java 21). */
  private boolean forFunctionThisJdkLacks(ExecutableElement rule) {
    AnnotationMirror annotation = ruleAnnotation(rule);
    TypeElement owner = ownerOf(rule, annotation);
    String function = String.valueOf(value(annotation, "method"));
    return owner != null && ElementFilter.methodsIn(owner.getEnclosedElements()).stream()
        .noneMatch(method -> method.getSimpleName().contentEquals(function));
  }

  /** A function a rule matched: its argument types (receiver first for an instance method), return type and form. */
  private record Match(
      ExecutableElement function, List<Type> argumentTypes, Type returnType, boolean takesValue, boolean pullback) {}

  /** Validates and adds one {@code @DerivativeRule} method; errors go on the rule. */
  public void add(ExecutableElement rule) {
    AnnotationMirror annotation = ruleAnnotation(rule);
    String ruleName = rule.getSimpleName().toString();
    if (!rule.getModifiers().contains(Modifier.STATIC)) {
      reporter.error(rule, annotation, Message.RULE_NOT_STATIC, ruleName);
      return;
    }
    TypeElement owner = ownerOf(rule, annotation);
    if (owner == null) {
      reporter.error(rule, annotation, Message.RULE_OWNER_NOT_FOUND, value(annotation, "owner"));
      return;
    }
    String functionName = String.valueOf(value(annotation, "method"));
    boolean tangentForm = Boolean.TRUE.equals(value(annotation, "tangent"));
    List<? extends VariableElement> ruleParameters = rule.getParameters();
    Match match = tangentForm
        ? matchingTangentFunction(owner, functionName, ruleParameters)
        : matchingFunction(owner, functionName, ruleParameters);
    if (match == null) {
      reporter.error(rule, annotation, Message.RULE_FUNCTION_NOT_FOUND, ruleName,
          owner.getQualifiedName(), functionName, signatureOf(ruleParameters));
      return;
    }
    int arity = match.argumentTypes().size();
    List<String> ruleParameterNames = ruleParameters.stream().limit(arity)
        .map(parameter -> parameter.getSimpleName().toString()).toList();
    String wrt = String.valueOf(value(annotation, "wrt"));
    int index;
    if (wrt.isEmpty()) {
      if (arity != 1) {
        reporter.error(rule, annotation, Message.RULE_WRT_REQUIRED, functionName, arity, ruleParameterNames);
        return;
      }
      index = 0;
    } else {
      index = ruleParameterNames.indexOf(wrt);
      if (index < 0) {
        reporter.error(rule, annotation, Message.RULE_WRT_UNKNOWN, wrt, ruleName, ruleParameterNames);
        return;
      }
    }
    Type wrtType = match.argumentTypes().get(index);
    if (!wrtType.isDifferentiable()) {
      reporter.error(rule, annotation, Message.RULE_WRT_NOT_DIFFERENTIABLE, wrt.isEmpty() ? ruleParameterNames.get(0) : wrt, wrtType);
      return;
    }
    if (tangentForm) {
      Type tangentType = JavaTypes.toIr(ruleParameters.get(ruleParameters.size() - 1).asType()).orElse(null);
      if (!wrtType.equals(tangentType)) {
        reporter.error(rule, annotation, Message.RULE_TANGENT_PARAMETER, ruleName, wrtType,
            ruleParameters.get(ruleParameters.size() - 1).asType());
        return;
      }
    }
    Type expectedReturn = tangentForm ? match.returnType() : match.pullback() ? wrtType : Type.DOUBLE;
    if (!JavaTypes.toIr(rule.getReturnType()).map(expectedReturn::equals).orElse(false)) {
      reporter.error(rule, annotation, Message.RULE_RETURN_TYPE, ruleName, expectedReturn, rule.getReturnType());
      return;
    }
    FunctionKey key = new FunctionKey(owner.getQualifiedName().toString(), functionName, match.argumentTypes());
    List<Optional<Callee.PartialRule>> entry = (tangentForm ? tangents : partials).computeIfAbsent(
        key, unused -> new ArrayList<>(Collections.nCopies(arity, Optional.empty())));
    if (entry.get(index).isPresent()) {
      reporter.error(rule, annotation, Message.RULE_DUPLICATE, functionName, index + 1);
      return;
    }
    List<String> functionInterfaces = functionInterfaces(rule, annotation, match);
    if (functionInterfaces == null) {
      return;
    }
    String ruleOwner = ((TypeElement) rule.getEnclosingElement()).getQualifiedName().toString();
    entry.set(index, Optional.of(new Callee.PartialRule(
        ruleOwner, ruleName, match.takesValue(), match.pullback(), functionInterfaces)));
  }

  /** The rules of a function, or empty when it has none. StrictMath shares Math's rules. */
  public Optional<List<Optional<Callee.PartialRule>>> partialsOf(
      String owner, String name, List<Type> parameterTypes) {
    String ruleOwner = STRICT_MATH.equals(owner) ? MATH : owner;
    return Optional.ofNullable(partials.get(new FunctionKey(ruleOwner, name, parameterTypes)));
  }

  /** The tangent-form rules of a function, one entry per parameter, or empty when it has none. */
  public Optional<List<Optional<Callee.PartialRule>>> tangentsOf(String owner, String name, List<Type> parameterTypes) {
    return Optional.ofNullable(tangents.get(new FunctionKey(owner, name, parameterTypes)));
  }

  /** All functions with rules, for documentation and tests. */
  public Map<FunctionKey, List<Optional<Callee.PartialRule>>> entries() {
    return Collections.unmodifiableMap(partials);
  }

  /**
   * The function of {@code owner} named {@code name} that the rule's parameters fit. The partial
   * form takes the function's arguments (receiver first for an instance method) and optionally its
   * double value; the pullback form, for functions of or into non-doubles, then takes the seed.
   */
  private Match matchingFunction(TypeElement owner, String name, List<? extends VariableElement> ruleParameters) {
    for (Candidate candidate : candidates(owner, name, ruleParameters)) {
      boolean allOfReturnType = candidate.extras().stream().allMatch(candidate.returnType()::equals);
      boolean scalarFunction = candidate.returnType().equals(Type.DOUBLE)
          && candidate.argumentTypes().stream().allMatch(type -> !type.isDifferentiable() || type.equals(Type.DOUBLE));
      int extra = candidate.extras().size();
      if (scalarFunction && extra <= 1 && allOfReturnType) {
        return candidate.match(extra == 1, false);
      }
      if (!scalarFunction && extra >= 1 && allOfReturnType) {
        return candidate.match(extra == 2, true);
      }
    }
    return null;
  }

  /**
   * The function that a tangent-form rule fits: its arguments, optionally its value, then one
   * tangent (whose type {@link #add} checks against {@code wrt}).
   */
  private Match matchingTangentFunction(
      TypeElement owner, String name, List<? extends VariableElement> ruleParameters) {
    for (Candidate candidate : candidates(owner, name, ruleParameters)) {
      List<Type> extras = candidate.extras();
      if (extras.size() == 1 || (extras.size() == 2 && candidate.returnType().equals(extras.get(0)))) {
        return candidate.match(extras.size() == 2, false);
      }
    }
    return null;
  }

  /** A method the rule's leading parameters fit, with the types of the rule's extra parameters. */
  private record Candidate(ExecutableElement function, List<Type> argumentTypes, Type returnType, List<Type> extras) {
    Match match(boolean takesValue, boolean pullback) {
      return new Match(function, argumentTypes, returnType, takesValue, pullback);
    }
  }

  /** The methods named {@code name} whose argument types start the rule's parameters, followed by one or two extras. */
  private List<Candidate> candidates(TypeElement owner, String name, List<? extends VariableElement> ruleParameters) {
    List<Candidate> candidates = new ArrayList<>();
    for (ExecutableElement candidate : ElementFilter.methodsIn(owner.getEnclosedElements())) {
      if (!candidate.getSimpleName().contentEquals(name)) {
        continue;
      }
      List<TypeMirror> argumentMirrors = new ArrayList<>();
      if (!candidate.getModifiers().contains(Modifier.STATIC)) {
        argumentMirrors.add(owner.asType());
      }
      candidate.getParameters().forEach(parameter -> argumentMirrors.add(parameter.asType()));
      int arity = argumentMirrors.size();
      int extra = ruleParameters.size() - arity;
      if (extra < 0 || extra > 2 || !sameTypes(argumentMirrors, ruleParameters)) {
        continue;
      }
      List<Type> argumentTypes = new ArrayList<>();
      for (TypeMirror mirror : argumentMirrors) {
        argumentTypes.add(JavaTypes.calleeParameterType(mirror).orElse(null));
      }
      Optional<Type> returnType = JavaTypes.toIr(candidate.getReturnType());
      if (argumentTypes.contains(null) || returnType.isEmpty()) {
        continue;
      }
      List<Type> extras = new ArrayList<>();
      for (VariableElement parameter : ruleParameters.subList(arity, ruleParameters.size())) {
        extras.add(JavaTypes.calleeParameterType(parameter.asType()).orElse(null));
      }
      candidates.add(new Candidate(candidate, argumentTypes, returnType.get(), extras));
    }
    return candidates;
  }

  /**
   * Whether the rule's leading parameters have the function's types; for a function parameter of
   * interface {@code F}, the rule may take {@code F} or an interface extending it (its {@code D}).
   */
  private static boolean sameTypes(List<TypeMirror> function, List<? extends VariableElement> rule) {
    for (int i = 0; i < function.size(); i++) {
      TypeMirror ruleType = rule.get(i).asType();
      if (!function.get(i).toString().equals(ruleType.toString())
          && !(JavaTypes.functionShape(function.get(i)).isPresent() && extendsInterface(ruleType, function.get(i)))) {
        return false;
      }
    }
    return true;
  }

  private static boolean extendsInterface(TypeMirror type, TypeMirror parent) {
    if (!(type instanceof DeclaredType declared)) {
      return false;
    }
    for (TypeMirror direct : ((TypeElement) declared.asElement()).getInterfaces()) {
      if (direct.toString().equals(parent.toString()) || extendsInterface(direct, parent)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Per parameter of the matched function, the interface {@code D} the rule takes for a function
   * parameter, checked against the convention (null where the rule takes the function's own type);
   * null after reporting a {@code D} of the wrong shape.
   */
  private List<String> functionInterfaces(ExecutableElement rule, AnnotationMirror annotation, Match match) {
    List<String> interfaces = new ArrayList<>();
    List<? extends VariableElement> functionParameters = match.function().getParameters();
    int offset = match.argumentTypes().size() - functionParameters.size(); // a receiver comes first
    for (int i = 0; i < match.argumentTypes().size(); i++) {
      TypeMirror ruleType = rule.getParameters().get(i).asType();
      Optional<FunctionShape> shape = i < offset ? Optional.empty()
          : JavaTypes.functionShape(functionParameters.get(i - offset).asType());
      if (shape.isEmpty() || ruleType.toString().equals(shape.get().interfaceName())) {
        interfaces.add(null);
        continue;
      }
      String problem = differentiableShapeProblem((TypeElement) ((DeclaredType) ruleType).asElement(), shape.get());
      if (problem != null) {
        reporter.error(rule, annotation, Message.RULE_FUNCTION_INTERFACE, rule.getSimpleName(),
            rule.getParameters().get(i).getSimpleName(), ruleType, shape.get().interfaceName(),
            shape.get().interfaceName(), expectedPullback(shape.get()), expectedTangent(shape.get()), problem);
        return null;
      }
      interfaces.add(((TypeElement) ((DeclaredType) ruleType).asElement()).getQualifiedName().toString());
    }
    return interfaces;
  }

  /**
   * What is wrong with {@code d} as the interface a rule takes for a function of {@code shape}: it
   * must be an interface adding exactly {@code pullback} and {@code tangent} of the convention's
   * shapes; null when it does.
   */
  private static String differentiableShapeProblem(TypeElement d, FunctionShape shape) {
    if (d.getKind() != ElementKind.INTERFACE) {
      return "it is not an interface";
    }
    List<ExecutableElement> added = JavaTypes.abstractMethods(d).stream()
        .filter(method -> !method.getSimpleName().contentEquals(shape.methodName())).toList();
    List<String> names = added.stream().map(method -> method.getSimpleName().toString()).sorted().toList();
    if (!names.equals(List.of("pullback", "tangent"))) {
      return "its abstract methods besides " + shape.methodName() + " are " + names;
    }
    for (ExecutableElement method : added) {
      boolean pullback = method.getSimpleName().contentEquals("pullback");
      List<Type> expected = new ArrayList<>(shape.parameterTypes());
      if (pullback) {
        expected.add(shape.resultType());
        shape.parameterTypes().forEach(unused -> expected.add(Type.DOUBLE_ARRAY));
      } else {
        expected.addAll(shape.parameterTypes());
      }
      List<Type> actual = method.getParameters().stream()
          .map(parameter -> JavaTypes.toIr(parameter.asType()).orElse(null)).toList();
      Type expectedResult = pullback ? null : shape.resultType();
      Type actualResult = method.getReturnType().getKind() == TypeKind.VOID ? null
          : JavaTypes.toIr(method.getReturnType()).orElse(Type.object(method.getReturnType().toString()));
      if (!expected.equals(actual) || !java.util.Objects.equals(expectedResult, actualResult)) {
        return "it declares " + method.getReturnType() + " " + method.getSimpleName()
            + method.getParameters().stream().map(parameter -> parameter.asType().toString())
                .collect(Collectors.joining(", ", "(", ")"));
      }
    }
    return null;
  }

  private static String expectedPullback(FunctionShape shape) {
    List<String> parameters = new ArrayList<>(shape.parameterTypes().stream().map(Type::toString).toList());
    parameters.add(shape.resultType() + " seed");
    shape.parameterTypes().forEach(unused -> parameters.add("double[]"));
    return "void pullback(" + String.join(", ", parameters) + ")";
  }

  private static String expectedTangent(FunctionShape shape) {
    List<String> parameters = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      shape.parameterTypes().forEach(type -> parameters.add(type.toString()));
    }
    return shape.resultType() + " tangent(" + String.join(", ", parameters) + ")";
  }

  private static String signatureOf(List<? extends VariableElement> parameters) {
    return parameters.stream().map(p -> p.asType().toString())
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private TypeElement ownerOf(ExecutableElement rule, AnnotationMirror annotation) {
    Object owner = value(annotation, "owner");
    if (owner instanceof DeclaredType declared) {
      return (TypeElement) declared.asElement();
    }
    if (owner == null || (owner instanceof TypeMirror mirror && mirror.getKind() == TypeKind.VOID)) {
      Element enclosing = rule.getEnclosingElement();
      return enclosing.getKind().isClass() || enclosing.getKind() == ElementKind.INTERFACE
          ? (TypeElement) enclosing : null;
    }
    return null;
  }

  /** The annotation's value for {@code name}, its default included. */
  private Object value(AnnotationMirror annotation, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
        : elements.getElementValuesWithDefaults(annotation).entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(name)) {
        return entry.getValue().getValue();
      }
    }
    return null;
  }

  static AnnotationMirror ruleAnnotation(Element element) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(ANNOTATION)) {
        return mirror;
      }
    }
    return null;
  }
}
