package dev.adjoint.processor;

import dev.adjoint.Derivative;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Report;
import dev.adjoint.processor.frontend.DifferentiableSignature;
import dev.adjoint.processor.frontend.JavaTypes;
import dev.adjoint.processor.frontend.Receivers;
import dev.adjoint.processor.ir.Type;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.Elements;

/** Checks what the annotation requires of a method's declaration, before its body is read. */
final class MethodValidator {
  private final Elements elements;

  MethodValidator(Elements elements) {
    this.elements = elements;
  }

  /** Whether the method can be differentiated; each problem goes into {@code report}. */
  boolean validate(ExecutableElement method, boolean duplicateName, Report report) {
    AnnotationMirror annotation = DifferentiableSignature.annotationOf(method);
    String name = method.getSimpleName().toString();
    if (!method.getEnclosingElement().getKind().isClass()) {
      report.error(method, annotation, Message.NOT_IN_CLASS, name,
          method.getEnclosingElement().getKind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      return false;
    }
    if (Receivers.hasReceiver(method)) {
      TypeElement owner = (TypeElement) method.getEnclosingElement();
      String unsupported = Receivers.unsupportedOwner(owner);
      if (unsupported != null) {
        report.error(method, annotation, Message.NOT_STATIC, name, unsupported);
      } else if (Receivers.overridable(method) && !method.getModifiers().contains(Modifier.ABSTRACT)) {
        report.error(method, annotation, Message.OVERRIDABLE_METHOD, "@Differentiable method", name);
      }
    }
    if (method.getModifiers().contains(Modifier.ABSTRACT) || method.getModifiers().contains(Modifier.NATIVE)) {
      report.error(method, annotation, Message.NO_BODY, name);
    }
    if (method.getModifiers().contains(Modifier.PRIVATE)) {
      report.error(method, annotation, Message.PRIVATE_METHOD, name);
    }
    boolean returnsVector = JavaTypes.toIr(method.getReturnType())
        .map(type -> type.equals(Type.DOUBLE_ARRAY) || type.equals(Type.DOUBLE_ARRAY_2D) || type.equals(Type.MATRIX))
        .orElse(false);
    boolean returnsRecord = JavaTypes.recordOfDoubles(method.getReturnType()).isPresent();
    if (method.getReturnType().getKind() != TypeKind.DOUBLE && !returnsVector && !returnsRecord) {
      report.error(method, annotation, Message.UNSUPPORTED_RETURN_TYPE, name, method.getReturnType());
    }
    if (!method.getTypeParameters().isEmpty()) {
      report.error(method, annotation, Message.GENERIC_METHOD, name);
    }
    if (method.isVarArgs()) {
      report.error(method, annotation, Message.VARARGS_METHOD, name);
    }
    if (duplicateName) {
      DifferentiableSignature signature = DifferentiableSignature.of(method, elements);
      report.error(method, annotation, Message.DUPLICATE_METHOD_NAME, name,
          method.getEnclosingElement().getSimpleName(), signature.gradientSimpleName());
    }
    boolean parametersFit = true;
    for (VariableElement parameter : method.getParameters()) {
      if (JavaTypes.parameterType(parameter.asType()).isEmpty() && JavaTypes.recordShape(parameter.asType()).isEmpty()) {
        report.error(parameter, null, Message.UNSUPPORTED_PARAMETER_TYPE, parameter.getSimpleName(), parameter.asType());
        parametersFit = false;
      } else if (hiddenFromCompanion(parameter.asType(), method) != null) {
        report.error(parameter, null, Message.HIDDEN_PARAMETER_TYPE, parameter.getSimpleName(), parameter.asType(),
            hiddenFromCompanion(parameter.asType(), method));
        parametersFit = false;
      }
    }
    if (parametersFit) {
      validateWrt(method, annotation, name, report);
    }
    return report.isClean();
  }

  /**
   * Why the companion, a top-level class of the method's package, cannot name the parameter's type
   * (a record or an enum that is private, or not public in another package, itself or a class
   * around it); null when it can.
   */
  private String hiddenFromCompanion(TypeMirror type, ExecutableElement method) {
    if (!(type instanceof DeclaredType declared)) {
      return null;
    }
    PackageElement companionPackage = elements.getPackageOf(method);
    for (Element e = declared.asElement(); e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        return e.getSimpleName() + " is private";
      }
      if (!e.getModifiers().contains(Modifier.PUBLIC) && !elements.getPackageOf(e).equals(companionPackage)) {
        return e.getSimpleName() + " is not public in another package";
      }
    }
    return null;
  }

  private void validateWrt(ExecutableElement method, AnnotationMirror annotation, String name, Report report) {
    List<? extends VariableElement> parameters = method.getParameters();
    List<String> wrt = DifferentiableSignature.wrtOf(method, elements);
    for (String wanted : wrt) {
      Optional<? extends VariableElement> parameter =
          parameters.stream().filter(p -> p.getSimpleName().contentEquals(wanted)).findFirst();
      if (wanted.startsWith(Receivers.FIELD_PREFIX)) {
        String problem = fieldProblem(method, wanted.substring(Receivers.FIELD_PREFIX.length()));
        if (problem != null) {
          report.error(method, annotation, Message.WRT_FIELD, wanted, problem);
        }
      } else if (parameter.isEmpty()) {
        List<String> choices = new java.util.ArrayList<>(
            parameters.stream().map(p -> p.getSimpleName().toString()).toList());
        if (Receivers.hasReceiver(method)) {
          differentiableFields((TypeElement) method.getEnclosingElement())
              .forEach(field -> choices.add(Receivers.FIELD_PREFIX + field));
        }
        report.error(method, annotation, Message.WRT_UNKNOWN, wanted, name, String.join(", ", choices));
      } else if (!JavaTypes.isDifferentiableParameter(parameter.get().asType())) {
        report.error(method, annotation, Message.WRT_NOT_DIFFERENTIABLE, wanted, parameter.get().asType());
      }
    }
    DifferentiableSignature signature = DifferentiableSignature.of(method, elements);
    List<String> differentiated = signature.differentiatedNames();
    if (differentiated.isEmpty() && wrt.isEmpty()) {
      report.error(method, annotation, Message.NO_DIFFERENTIABLE_PARAMETER, name);
    }
    if (differentiated.contains("value")) {
      report.error(method, annotation, Message.PARAMETER_NAMED_VALUE);
    }
    Set<Derivative> also = DifferentiableSignature.derivativesOf(method, elements);
    boolean taylor = also.contains(Derivative.TAYLOR);
    if (also.contains(Derivative.HESSIAN) || taylor) {
      for (VariableElement parameter : parameters) {
        boolean plainDoubles = JavaTypes.parameterType(parameter.asType())
            .map(type -> type.base() == Type.Base.DOUBLE || !type.isDifferentiable())
            .orElseGet(() -> !taylor && JavaTypes.recordShape(parameter.asType()).map(JavaTypes::holdsNoMatrix).orElse(false));
        if (differentiated.contains(parameter.getSimpleName().toString()) && !plainDoubles) {
          report.error(parameter, null, Message.HIGHER_ORDER_PARAMETER, also, parameter.getSimpleName(), parameter.asType());
        }
      }
      for (String field : signature.fields()) {
        VariableElement element = Receivers.instanceField(elements, (TypeElement) method.getEnclosingElement(), field);
        boolean plainDoubles = element != null && JavaTypes.toIr(element.asType())
            .map(type -> type.base() == Type.Base.DOUBLE && (!taylor || type.isScalar())).orElse(false);
        if (element != null && !plainDoubles) {
          report.error(method, annotation, Message.HIGHER_ORDER_PARAMETER, also, Receivers.FIELD_PREFIX + field,
              element.asType());
        }
      }
      boolean returnsDouble = method.getReturnType().getKind() == TypeKind.DOUBLE;
      if (taylor && differentiated.size() + signature.fields().size() != 1) {
        List<String> all = new java.util.ArrayList<>(differentiated);
        signature.fields().forEach(field -> all.add(Receivers.FIELD_PREFIX + field));
        report.error(method, annotation, Message.TAYLOR_PARAMETERS, name, all);
      }
      if (JavaTypes.recordOfDoubles(method.getReturnType()).isPresent()) {
        report.error(method, annotation, Message.RECORD_RESULT_MODES, also, name, method.getReturnType());
      } else if (taylor && !returnsDouble) {
        report.error(method, annotation, Message.HIGHER_ORDER_RETURN, name, method.getReturnType());
      }
    }
  }

  /** Why {@code wrt} cannot differentiate the receiver's field {@code field}; null when it can. */
  private String fieldProblem(ExecutableElement method, String field) {
    if (!Receivers.hasReceiver(method)) {
      return "a static method has no this; name a parameter";
    }
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    VariableElement element = Receivers.instanceField(elements, owner, field);
    if (element == null) {
      return owner.getSimpleName() + " has no instance field " + field + "; the fields wrt can name: "
          + differentiableFields(owner).stream().map(f -> Receivers.FIELD_PREFIX + f).collect(Collectors.joining(", "));
    }
    if (!element.getModifiers().contains(Modifier.FINAL)) {
      return "the field is not final, so its value may change between the runs of the method that derivative code"
          + " makes; make it final";
    }
    if (!JavaTypes.toIr(element.asType()).map(Type::isDifferentiable).orElse(false)) {
      return "its type " + element.asType() + " cannot be differentiated (fields of type double, double[], double[][]"
          + " and Matrix can)";
    }
    if (!Receivers.isRecord(owner) && element.getModifiers().contains(Modifier.PRIVATE)) {
      return "it is private, so the generated companion cannot read it; make it package-private (it stays final)";
    }
    if (method.getParameters().stream().anyMatch(p -> p.getSimpleName().contentEquals(field))
        || field.equals("value")) {
      return "the gradient names each partial after its variable, and " + (field.equals("value")
          ? "value() is the function's value" : "a parameter is also called " + field) + "; rename one";
    }
    return null;
  }

  /** The final fields of {@code owner} whose type can be differentiated, which wrt may name. */
  private List<String> differentiableFields(TypeElement owner) {
    return javax.lang.model.util.ElementFilter.fieldsIn(elements.getAllMembers(owner)).stream()
        .filter(field -> !field.getModifiers().contains(Modifier.STATIC) && field.getModifiers().contains(Modifier.FINAL))
        .filter(field -> JavaTypes.toIr(field.asType()).map(Type::isDifferentiable).orElse(false))
        .map(field -> field.getSimpleName().toString()).toList();
  }
}
