package dev.adjoint.processor;

import dev.adjoint.Derivative;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Report;
import dev.adjoint.processor.frontend.DifferentiableSignature;
import dev.adjoint.processor.frontend.JavaTypes;
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
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      report.error(method, annotation, Message.NOT_STATIC, name);
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
      if (parameter.isEmpty()) {
        report.error(method, annotation, Message.WRT_UNKNOWN, wanted, name,
            parameters.stream().map(p -> p.getSimpleName().toString()).collect(Collectors.joining(", ")));
      } else if (!JavaTypes.isDifferentiableParameter(parameter.get().asType())) {
        report.error(method, annotation, Message.WRT_NOT_DIFFERENTIABLE, wanted, parameter.get().asType());
      }
    }
    List<String> differentiated = DifferentiableSignature.of(method, elements).differentiatedNames();
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
      boolean returnsDouble = method.getReturnType().getKind() == TypeKind.DOUBLE;
      if (taylor && differentiated.size() != 1) {
        report.error(method, annotation, Message.TAYLOR_PARAMETERS, name, differentiated);
      }
      if (JavaTypes.recordOfDoubles(method.getReturnType()).isPresent()) {
        report.error(method, annotation, Message.RECORD_RESULT_MODES, also, name, method.getReturnType());
      } else if (taylor && !returnsDouble) {
        report.error(method, annotation, Message.HIGHER_ORDER_RETURN, name, method.getReturnType());
      }
    }
  }
}
