package dev.adjoint.processor;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.lower.DifferentiableSignature;
import dev.adjoint.processor.lower.JavaTypes;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.Elements;

/** Checks what the annotation requires of a method's declaration, before its body is read. */
final class MethodValidator {
  private final Elements elements;
  private final Reporter reporter;

  MethodValidator(Elements elements, Reporter reporter) {
    this.elements = elements;
    this.reporter = reporter;
  }

  /** Whether the method can be differentiated; each problem is reported on it. */
  boolean validate(ExecutableElement method, boolean duplicateName) {
    AnnotationMirror annotation = DifferentiableSignature.annotationOf(method);
    String name = method.getSimpleName().toString();
    int errors = reporter.errorCount();
    if (!method.getEnclosingElement().getKind().isClass()) {
      reporter.error(method, annotation, Message.NOT_IN_CLASS, name,
          method.getEnclosingElement().getKind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      return false;
    }
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      reporter.error(method, annotation, Message.NOT_STATIC, name);
    }
    if (method.getModifiers().contains(Modifier.ABSTRACT) || method.getModifiers().contains(Modifier.NATIVE)) {
      reporter.error(method, annotation, Message.NO_BODY, name);
    }
    if (method.getModifiers().contains(Modifier.PRIVATE)) {
      reporter.error(method, annotation, Message.PRIVATE_METHOD, name);
    }
    boolean returnsVector = JavaTypes.toIr(method.getReturnType())
        .map(type -> type.equals(Type.DOUBLE_ARRAY) || type.equals(Type.MATRIX)).orElse(false);
    if (method.getReturnType().getKind() != TypeKind.DOUBLE && !returnsVector) {
      reporter.error(method, annotation, Message.UNSUPPORTED_RETURN_TYPE, name, method.getReturnType());
    }
    if (!method.getTypeParameters().isEmpty()) {
      reporter.error(method, annotation, Message.GENERIC_METHOD, name);
    }
    if (method.isVarArgs()) {
      reporter.error(method, annotation, Message.VARARGS_METHOD, name);
    }
    if (duplicateName) {
      DifferentiableSignature signature = DifferentiableSignature.of(method, elements);
      reporter.error(method, annotation, Message.DUPLICATE_METHOD_NAME, name,
          method.getEnclosingElement().getSimpleName(), signature.gradientSimpleName());
    }
    boolean parametersFit = true;
    for (VariableElement parameter : method.getParameters()) {
      if (JavaTypes.toIr(parameter.asType()).isEmpty() && JavaTypes.recordShape(parameter.asType()).isEmpty()) {
        reporter.error(parameter, Message.UNSUPPORTED_PARAMETER_TYPE, parameter.getSimpleName(), parameter.asType());
        parametersFit = false;
      }
    }
    if (parametersFit) {
      validateWrt(method, annotation, name);
    }
    return reporter.errorCount() == errors;
  }

  private void validateWrt(ExecutableElement method, AnnotationMirror annotation, String name) {
    List<? extends VariableElement> parameters = method.getParameters();
    List<String> wrt = DifferentiableSignature.wrtOf(method, elements);
    for (String wanted : wrt) {
      Optional<? extends VariableElement> parameter =
          parameters.stream().filter(p -> p.getSimpleName().contentEquals(wanted)).findFirst();
      if (parameter.isEmpty()) {
        reporter.error(method, annotation, Message.WRT_UNKNOWN, wanted, name,
            parameters.stream().map(p -> p.getSimpleName().toString()).collect(Collectors.joining(", ")));
      } else if (!JavaTypes.isDifferentiableParameter(parameter.get().asType())) {
        reporter.error(method, annotation, Message.WRT_NOT_DIFFERENTIABLE, wanted, parameter.get().asType());
      }
    }
    List<String> differentiated = DifferentiableSignature.of(method, elements).differentiated().stream()
        .filter(n -> n != null).toList();
    if (differentiated.isEmpty() && wrt.isEmpty()) {
      reporter.error(method, annotation, Message.NO_DIFFERENTIABLE_PARAMETER, name);
    }
    if (differentiated.contains("value")) {
      reporter.error(method, annotation, Message.PARAMETER_NAMED_VALUE);
    }
    List<String> also = DifferentiableSignature.alsoOf(method, elements);
    if (also.contains("HESSIAN") || also.contains("TAYLOR")) {
      for (VariableElement parameter : parameters) {
        boolean plainDoubles = JavaTypes.toIr(parameter.asType())
            .map(type -> type.base() == Type.Base.DOUBLE || !type.isDifferentiable()).orElse(false);
        if (differentiated.contains(parameter.getSimpleName().toString()) && !plainDoubles) {
          reporter.error(parameter, Message.HIGHER_ORDER_PARAMETER, also, parameter.getSimpleName(), parameter.asType());
        }
      }
      boolean returnsDouble = method.getReturnType().getKind() == TypeKind.DOUBLE;
      if (also.contains("TAYLOR") && differentiated.size() != 1) {
        reporter.error(method, annotation, Message.TAYLOR_PARAMETERS, name, differentiated);
      }
      if (also.contains("TAYLOR") && !returnsDouble) {
        reporter.error(method, annotation, Message.HIGHER_ORDER_RETURN, name, method.getReturnType());
      }
    }
  }
}
