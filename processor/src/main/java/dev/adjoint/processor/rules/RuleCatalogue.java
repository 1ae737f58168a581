package dev.adjoint.processor.rules;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.lower.JavaTypes;
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
  public static final String BUILT_IN_RULES = "dev.adjoint.runtime.rules.MathRules";
  private static final String MATH = "java.lang.Math";
  private static final String STRICT_MATH = "java.lang.StrictMath";

  /** A function by owner, name and parameter types (overloads differ). */
  public record FunctionKey(String owner, String name, List<Type> parameterTypes) {}

  private final Elements elements;
  private final Reporter reporter;
  private final Map<FunctionKey, List<Optional<Callee.PartialRule>>> partials = new HashMap<>();
  private boolean builtInsLoaded;

  public RuleCatalogue(Elements elements, Reporter reporter) {
    this.elements = elements;
    this.reporter = reporter;
  }

  /** Whether the runtime's built-in rules were found on the classpath. */
  public boolean loadBuiltIns() {
    if (!builtInsLoaded) {
      TypeElement mathRules = elements.getTypeElement(BUILT_IN_RULES);
      if (mathRules == null) {
        return false;
      }
      for (ExecutableElement method : ElementFilter.methodsIn(mathRules.getEnclosedElements())) {
        if (ruleAnnotation(method) != null) {
          add(method);
        }
      }
      builtInsLoaded = true;
    }
    return true;
  }

  /** Validates and adds one {@code @DerivativeRule} method; errors go on the rule. */
  public void add(ExecutableElement rule) {
    AnnotationMirror annotation = ruleAnnotation(rule);
    String ruleName = rule.getSimpleName().toString();
    if (!rule.getModifiers().contains(Modifier.STATIC)) {
      reporter.error(rule, annotation, Message.RULE_NOT_STATIC, ruleName);
      return;
    }
    if (rule.getReturnType().getKind() != TypeKind.DOUBLE) {
      reporter.error(rule, annotation, Message.RULE_RETURN_TYPE, ruleName, rule.getReturnType());
      return;
    }
    TypeElement owner = ownerOf(rule, annotation);
    if (owner == null) {
      reporter.error(rule, annotation, Message.RULE_OWNER_NOT_FOUND, value(annotation, "owner"));
      return;
    }
    String functionName = String.valueOf(value(annotation, "method"));
    List<? extends VariableElement> ruleParameters = rule.getParameters();
    ExecutableElement function = matchingFunction(owner, functionName, ruleParameters);
    if (function == null) {
      reporter.error(rule, annotation, Message.RULE_FUNCTION_NOT_FOUND, ruleName,
          owner.getQualifiedName(), functionName, signatureOf(ruleParameters));
      return;
    }
    int arity = function.getParameters().size();
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
    TypeMirror wrtType = function.getParameters().get(index).asType();
    if (wrtType.getKind() != TypeKind.DOUBLE) {
      reporter.error(rule, annotation, Message.RULE_WRT_NOT_DOUBLE, wrt, wrtType);
      return;
    }
    FunctionKey key = keyOf(owner.getQualifiedName().toString(), function);
    List<Optional<Callee.PartialRule>> entry = partials.computeIfAbsent(
        key, unused -> new ArrayList<>(Collections.nCopies(arity, Optional.empty())));
    if (entry.get(index).isPresent()) {
      reporter.error(rule, annotation, Message.RULE_DUPLICATE, functionName, index);
      return;
    }
    String ruleOwner = ((TypeElement) rule.getEnclosingElement()).getQualifiedName().toString();
    entry.set(index, Optional.of(
        new Callee.PartialRule(ruleOwner, ruleName, ruleParameters.size() == arity + 1)));
  }

  /** The rules of a function, or empty when it has none. StrictMath shares Math's rules. */
  public Optional<List<Optional<Callee.PartialRule>>> partialsOf(
      String owner, String name, List<Type> parameterTypes) {
    String ruleOwner = STRICT_MATH.equals(owner) ? MATH : owner;
    return Optional.ofNullable(partials.get(new FunctionKey(ruleOwner, name, parameterTypes)));
  }

  /** All functions with rules, for documentation and tests. */
  public Map<FunctionKey, List<Optional<Callee.PartialRule>>> entries() {
    return Collections.unmodifiableMap(partials);
  }

  private static FunctionKey keyOf(String owner, ExecutableElement function) {
    List<Type> types = function.getParameters().stream()
        .map(parameter -> JavaTypes.toIr(parameter.asType()).orElse(null)).toList();
    return new FunctionKey(owner, function.getSimpleName().toString(), types);
  }

  private ExecutableElement matchingFunction(
      TypeElement owner, String name, List<? extends VariableElement> ruleParameters) {
    for (ExecutableElement candidate : ElementFilter.methodsIn(owner.getEnclosedElements())) {
      if (!candidate.getSimpleName().contentEquals(name)
          || !candidate.getModifiers().contains(Modifier.STATIC)) {
        continue;
      }
      List<? extends VariableElement> parameters = candidate.getParameters();
      boolean withValue = ruleParameters.size() == parameters.size() + 1
          && ruleParameters.get(parameters.size()).asType().getKind() == TypeKind.DOUBLE
          && candidate.getReturnType().getKind() == TypeKind.DOUBLE;
      if ((ruleParameters.size() == parameters.size() || withValue)
          && sameTypes(parameters, ruleParameters)
          && parameters.stream().allMatch(p -> JavaTypes.toIr(p.asType()).isPresent())) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean sameTypes(
      List<? extends VariableElement> function, List<? extends VariableElement> rule) {
    for (int i = 0; i < function.size(); i++) {
      if (!function.get(i).asType().toString().equals(rule.get(i).asType().toString())) {
        return false;
      }
    }
    return true;
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
