package dev.adjoint.processor.frontend;

import dev.adjoint.Derivative;
import dev.adjoint.processor.ir.Identifiers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
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
    List<String> differentiated,
    List<String> fields) {

  public static final String ANNOTATION = "dev.adjoint.Differentiable";
  /** Recorded by the companion writer on each pullback, read back here from class files. */
  public static final String METADATA = "dev.adjoint.DerivativeMetadata";
  private static final String COMPANION_SUFFIX = "Grad";

  public static AnnotationMirror annotationOf(Element element) {
    return mirrorOf(element, ANNOTATION);
  }

  private static AnnotationMirror mirrorOf(Element element, String annotation) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(annotation)) {
        return mirror;
      }
    }
    return null;
  }

  /**
   * The signature of {@code method}; {@code differentiated} holds, per parameter, its name when
   * differentiated and null when it is data (an instance method's receiver comes first, as data);
   * {@code fields} names the receiver's fields that {@code wrt} differentiates.
   */
  public static DifferentiableSignature of(ExecutableElement method, Elements elements) {
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    String packageName = elements.getPackageOf(owner).getQualifiedName().toString();
    String companion = nestedName(owner) + COMPANION_SUFFIX;
    String qualified = packageName.isEmpty() ? companion : packageName + "." + companion;
    String name = method.getSimpleName().toString();
    List<String> wrt = wrtOf(method, elements);
    String gradient = Identifiers.capitalize(name) + "Gradient";
    List<String> differentiated = new ArrayList<>();
    if (Receivers.hasReceiver(method)) {
      differentiated.add(null);
    }
    for (VariableElement parameter : method.getParameters()) {
      String parameterName = parameter.getSimpleName().toString();
      boolean chosen = wrt.isEmpty()
          ? JavaTypes.isDifferentiableParameter(parameter.asType())
          : wrt.contains(parameterName);
      differentiated.add(chosen ? parameterName : null);
    }
    String pullback = name + "Pullback";
    if (namesLost(method)) {
      // Read from a class file compiled without -parameters: its companion recorded the names.
      recordedDifferentiated(elements.getTypeElement(qualified), pullback, differentiated.size())
          .ifPresent(recorded -> {
            differentiated.clear();
            differentiated.addAll(recorded);
          });
    }
    List<String> fields = Receivers.hasReceiver(method) ? Receivers.fieldsIn(wrt) : List.of();
    return new DifferentiableSignature(qualified, companion, gradient, pullback, differentiated, fields);
  }

  /**
   * The names in the companion {@code companionQualifiedName} of the derivatives of a helper, a
   * method without {@code @Differentiable} that Adjoint differentiates for its callers there:
   * {@code baseTangent}, {@code basePullback}, {@code BaseGradient}; every parameter that can be
   * differentiated is.
   */
  public static DifferentiableSignature ofHelper(ExecutableElement helper, String companionQualifiedName, String base) {
    List<String> differentiated = new ArrayList<>();
    if (Receivers.hasReceiver(helper)) {
      differentiated.add(null);
    }
    for (VariableElement parameter : helper.getParameters()) {
      differentiated.add(JavaTypes.isDifferentiableParameter(parameter.asType())
          ? parameter.getSimpleName().toString() : null);
    }
    String simple = companionQualifiedName.substring(companionQualifiedName.lastIndexOf('.') + 1);
    return new DifferentiableSignature(companionQualifiedName, simple, Identifiers.capitalize(base) + "Gradient",
        base + "Pullback", differentiated, List.of());
  }

  /** What the derivative methods' names start with: the method's name, or a helper's name in the companion. */
  public String baseName() {
    return pullbackName.substring(0, pullbackName.length() - "Pullback".length());
  }

  /** The name of the forward-mode method. */
  public String tangentName() {
    return baseName() + "Tangent";
  }

  /** The differentiated parameter names, in order, without the data parameters. */
  public List<String> differentiatedNames() {
    return differentiated.stream().filter(Objects::nonNull).toList();
  }

  /** Whether anything is differentiated: a parameter or a field of the receiver. */
  public boolean differentiatesAnything() {
    return !differentiatedNames().isEmpty() || !fields.isEmpty();
  }

  /** Whether the parameter names are javac's stand-ins {@code arg0, arg1, ...} of a class file without them. */
  private static boolean namesLost(ExecutableElement method) {
    List<? extends VariableElement> parameters = method.getParameters();
    for (int i = 0; i < parameters.size(); i++) {
      if (!parameters.get(i).getSimpleName().contentEquals("arg" + i)) {
        return false;
      }
    }
    return !parameters.isEmpty();
  }

  /**
   * What the {@link #METADATA} on a compiled companion's pullback says: per parameter its name
   * when differentiated, else null; empty when there is no such companion or record.
   */
  private static Optional<List<String>> recordedDifferentiated(TypeElement companion, String pullback, int arity) {
    if (companion == null) {
      return Optional.empty();
    }
    for (ExecutableElement method : ElementFilter.methodsIn(companion.getEnclosedElements())) {
      AnnotationMirror metadata = method.getSimpleName().contentEquals(pullback) ? mirrorOf(method, METADATA) : null;
      if (metadata == null) {
        continue;
      }
      List<String> names = new ArrayList<>();
      List<Boolean> chosen = new ArrayList<>();
      metadata.getElementValues().forEach((key, value) -> {
        if (key.getSimpleName().contentEquals("parameters")) {
          listOf(value).forEach(item -> names.add((String) item.getValue()));
        } else if (key.getSimpleName().contentEquals("differentiated")) {
          listOf(value).forEach(item -> chosen.add((Boolean) item.getValue()));
        }
      });
      if (names.size() != arity || chosen.size() != arity) {
        return Optional.empty();
      }
      List<String> differentiated = new ArrayList<>();
      for (int i = 0; i < arity; i++) {
        differentiated.add(chosen.get(i) ? names.get(i) : null);
      }
      return Optional.of(differentiated);
    }
    return Optional.empty();
  }

  /**
   * Whether the companion of a method compiled earlier records it as recomputable (see
   * {@code DerivativeMetadata.recomputable}); true when nothing says otherwise.
   */
  public static boolean recordedRecomputable(ExecutableElement method, Elements elements) {
    DifferentiableSignature signature = of(method, elements);
    TypeElement companion = elements.getTypeElement(signature.companionQualifiedName());
    if (companion == null) {
      return true;
    }
    for (ExecutableElement generated : ElementFilter.methodsIn(companion.getEnclosedElements())) {
      AnnotationMirror metadata = generated.getSimpleName().contentEquals(signature.pullbackName())
          ? mirrorOf(generated, METADATA) : null;
      if (metadata != null) {
        for (var member : metadata.getElementValues().entrySet()) {
          if (member.getKey().getSimpleName().contentEquals("recomputable")) {
            return (Boolean) member.getValue().getValue();
          }
        }
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static List<? extends AnnotationValue> listOf(AnnotationValue value) {
    return (List<? extends AnnotationValue>) value.getValue();
  }

  /** The derivatives a method asks for besides its gradient, in its {@code also}. */
  public static Set<Derivative> derivativesOf(ExecutableElement method, Elements elements) {
    Set<Derivative> derivatives = EnumSet.noneOf(Derivative.class);
    AnnotationMirror annotation = annotationOf(method);
    if (annotation == null) {
      return derivatives;
    }
    for (var entry : elements.getElementValuesWithDefaults(annotation).entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals("also")) {
        for (AnnotationValue value : listOf(entry.getValue())) {
          derivatives.add(Derivative.valueOf(((VariableElement) value.getValue()).getSimpleName().toString()));
        }
      }
    }
    return derivatives;
  }

  /** Whether the method has forward mode: asked for, or brought by {@code HESSIAN}, which its callers' Hessians need. */
  public static boolean hasTangent(Set<Derivative> derivatives) {
    return derivatives.contains(Derivative.TANGENT) || derivatives.contains(Derivative.HESSIAN);
  }

  /** The names listed in {@code wrt}, empty when the annotation leaves the default. */
  public static List<String> wrtOf(ExecutableElement method, Elements elements) {
    AnnotationMirror annotation = annotationOf(method);
    if (annotation == null) {
      return List.of();
    }
    for (var entry : elements.getElementValuesWithDefaults(annotation).entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals("wrt")) {
        return listOf(entry.getValue()).stream().map(value -> String.valueOf(value.getValue())).toList();
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
