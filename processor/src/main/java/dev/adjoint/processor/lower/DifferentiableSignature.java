package dev.adjoint.processor.lower;

import dev.adjoint.processor.ir.Identifiers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * The names a {@code @Differentiable} method's companion uses, derived from the method alone so
 * that a caller compiled later finds them without reading generated code.
 */
public record DifferentiableSignature(
    String companionQualifiedName,
    String companionSimpleName,
    String gradientSimpleName,
    String pullbackName,
    List<String> differentiated) {

  public static final String ANNOTATION = "dev.adjoint.Differentiable";
  private static final String COMPANION_SUFFIX = "Grad";

  public static AnnotationMirror annotationOf(Element element) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(ANNOTATION)) {
        return mirror;
      }
    }
    return null;
  }

  /**
   * The signature of {@code method}; {@code differentiated} holds, per parameter, its name when
   * differentiated and null when it is data.
   */
  public static DifferentiableSignature of(ExecutableElement method, Elements elements) {
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    String packageName = elements.getPackageOf(owner).getQualifiedName().toString();
    String companion = nestedName(owner) + COMPANION_SUFFIX;
    String qualified = packageName.isEmpty() ? companion : packageName + "." + companion;
    String name = method.getSimpleName().toString();
    List<String> wrt = wrtOf(method, elements);
    String gradient = Identifiers.capitalize(name) + "Gradient";
    List<String> compiledAccessors = accessorsOf(elements.getTypeElement(qualified + "." + gradient));
    List<String> differentiated = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      String parameterName = parameter.getSimpleName().toString();
      boolean chosen = wrt.isEmpty()
          ? JavaTypes.isDifferentiableParameter(parameter.asType())
          : wrt.contains(parameterName);
      differentiated.add(chosen ? parameterName : null);
    }
    boolean namesLost = !method.getParameters().isEmpty() && method.getParameters().stream()
        .allMatch(parameter -> parameter.getSimpleName().toString().matches("arg\\d+"));
    if (namesLost && wrt.isEmpty() && compiledAccessors != null
        && compiledAccessors.size() == differentiated.stream().filter(n -> n != null).count()) {
      // A method read from a class file may have lost its parameter names (no -parameters):
      // its compiled gradient class still has them, as accessors in parameter order.
      int next = 0;
      for (int i = 0; i < differentiated.size(); i++) {
        if (differentiated.get(i) != null) {
          differentiated.set(i, compiledAccessors.get(next++));
        }
      }
    }
    return new DifferentiableSignature(qualified, companion, gradient, name + "Pullback", differentiated);
  }

  /** The partial accessors of a generated gradient class, in order; null when it does not exist yet. */
  private static List<String> accessorsOf(TypeElement gradient) {
    if (gradient == null) {
      return null;
    }
    List<String> accessors = new ArrayList<>();
    for (ExecutableElement method : ElementFilter.methodsIn(gradient.getEnclosedElements())) {
      String name = method.getSimpleName().toString();
      if (method.getModifiers().contains(Modifier.PUBLIC) && method.getParameters().isEmpty()
          && !name.equals("value") && !name.equals("toString")) {
        accessors.add(name);
      }
    }
    return accessors;
  }

  /** The names of the {@code also} derivatives ({@code TANGENT}, {@code HESSIAN}) a method asks for. */
  public static List<String> alsoOf(ExecutableElement method, Elements elements) {
    AnnotationMirror annotation = annotationOf(method);
    if (annotation == null) {
      return List.of();
    }
    for (var entry : elements.getElementValuesWithDefaults(annotation).entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals("also")) {
        @SuppressWarnings("unchecked")
        List<? extends AnnotationValue> values = (List<? extends AnnotationValue>) entry.getValue().getValue();
        return values.stream().map(value -> ((VariableElement) value.getValue()).getSimpleName().toString()).toList();
      }
    }
    return List.of();
  }

  /** Whether the method has forward mode: asked for, or brought by {@code HESSIAN}, which its callers' Hessians need. */
  public static boolean hasTangent(List<String> also) {
    return also.contains("TANGENT") || also.contains("HESSIAN");
  }

  /** The names listed in {@code wrt}, empty when the annotation leaves the default. */
  public static List<String> wrtOf(ExecutableElement method, Elements elements) {
    AnnotationMirror annotation = annotationOf(method);
    if (annotation == null) {
      return List.of();
    }
    for (var entry : elements.getElementValuesWithDefaults(annotation).entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals("wrt")) {
        @SuppressWarnings("unchecked")
        List<? extends AnnotationValue> values = (List<? extends AnnotationValue>) entry.getValue().getValue();
        return values.stream().map(value -> String.valueOf(value.getValue())).toList();
      }
    }
    return List.of();
  }

  /** {@code Outer_Inner} for a nested class, the simple name otherwise. */
  private static String nestedName(TypeElement type) {
    List<String> names = new ArrayList<>();
    Element element = type;
    while (element instanceof TypeElement typeElement) {
      names.add(0, typeElement.getSimpleName().toString());
      element = element.getEnclosingElement();
    }
    return String.join("_", names);
  }

  @Override
  public String toString() {
    return companionQualifiedName + "." + pullbackName + Arrays.toString(differentiated.toArray());
  }
}
