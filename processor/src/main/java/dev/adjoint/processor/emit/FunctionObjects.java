package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.FunctionShape;
import dev.adjoint.processor.ir.Identifiers;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The function objects a companion hands to derivative rules: for a method reference
 * {@code Owner::f} passed to a function whose rules take the interface {@code D} (which extends
 * the function parameter's interface with {@code pullback} and {@code tangent}), a private nested
 * class implementing {@code D} by calling {@code f}, its generated pullback and its generated
 * tangent. Each object keeps one gradient object for all its pullbacks: a rule calls them once per
 * step or node, and none of those calls allocates a gradient.
 */
final class FunctionObjects {
  private static final ClassName ADJOINTS = ClassName.get("dev.adjoint.runtime", "Adjoints");
  /** Per referenced method and interface, the name of its class. */
  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<String, Expr.FunctionRef> used = new LinkedHashMap<>();

  /**
   * The class of this function object, which generated code creates: {@code DecayAsDifferentiableIntegrand}
   * for the referenced method and the rule's interface, numbered when methods of two classes share a name.
   */
  String use(Expr.FunctionRef reference) {
    Callee.Differentiable target = reference.target();
    String interfaceName = reference.differentiableInterface();
    String key = target.companionQualifiedName() + "#" + target.pullbackName() + "#" + interfaceName;
    return names.computeIfAbsent(key, unused -> {
      String base = Identifiers.capitalize(baseName(target)) + "As"
          + interfaceName.substring(interfaceName.lastIndexOf('.') + 1);
      String name = base;
      for (int n = 2; used.containsKey(name); n++) {
        name = base + n;
      }
      used.put(name, reference);
      return name;
    });
  }

  /** The nested classes of the function objects used, one per referenced method and interface. */
  List<TypeSpec> classes() {
    List<TypeSpec> classes = new ArrayList<>();
    used.forEach((name, reference) -> classes.add(functionClass(name, reference)));
    return classes;
  }

  private static String baseName(Callee.Differentiable target) {
    return target.pullbackName().substring(0, target.pullbackName().length() - "Pullback".length());
  }

  private static TypeSpec functionClass(String name, Expr.FunctionRef reference) {
    Callee.Differentiable target = reference.target();
    FunctionShape shape = reference.shape();
    List<String> parameters = parameterNames(target);
    ClassName companion = ClassName.bestGuess(target.companionQualifiedName());
    ClassName gradient = companion.nestedClass(target.gradientSimpleName());
    CodeBlock arguments = CodeBlock.of("$L", String.join(", ", parameters));
    TypeName result = shape.resultType().typeName();

    MethodSpec primal = MethodSpec.methodBuilder(shape.methodName())
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(result)
        .addParameters(specs(shape.parameterTypes(), parameters))
        .addStatement("return $T.$L($L)", ClassName.bestGuess(target.ownerQualifiedName()), target.name(), arguments)
        .build();

    List<String> adjoints = parameters.stream().map(parameter -> "d" + parameter).toList();
    MethodSpec.Builder pullback = MethodSpec.methodBuilder("pullback")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameters(specs(shape.parameterTypes(), parameters))
        .addParameter(result, "seed")
        .beginControlFlow("if (gradient == null)")
        .addStatement("gradient = new $T()", gradient)
        .endControlFlow()
        .addStatement("$T.$L($L, seed, gradient)", companion, target.pullbackName(), arguments);
    for (int i = 0; i < parameters.size(); i++) {
      pullback.addParameter(double[].class, adjoints.get(i));
      String partial = target.differentiated().get(i);
      if (shape.parameterTypes().get(i).isArray()) {
        pullback.addStatement("$T.addInto($L, gradient.$L())", ADJOINTS, adjoints.get(i), partial);
      } else {
        pullback.addStatement("$L[0] += gradient.$L()", adjoints.get(i), partial);
      }
    }

    List<Type> tangentTypes = new ArrayList<>(shape.parameterTypes());
    tangentTypes.addAll(shape.parameterTypes());
    List<String> tangentNames = new ArrayList<>(parameters);
    tangentNames.addAll(adjoints);
    MethodSpec tangent = MethodSpec.methodBuilder("tangent")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(result)
        .addParameters(specs(tangentTypes, tangentNames))
        .addStatement("return $T.$L($L).derivative()", companion, target.tangentName(),
            String.join(", ", tangentNames))
        .build();

    return TypeSpec.classBuilder(name)
        .addJavadoc("{@code $L::$L} as a {@link $T}, for the derivative rules of the functions it is passed to: its\n"
            + "pullback and tangent are the method's generated ones.\n",
            target.ownerQualifiedName(), target.name(), ClassName.bestGuess(reference.differentiableInterface()))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(ClassName.bestGuess(reference.differentiableInterface()))
        .addField(FieldSpec.builder(gradient, "gradient", Modifier.PRIVATE)
            .addJavadoc("Reused by every pullback, created by the first.\n").build())
        .addMethod(primal)
        .addMethod(pullback.build())
        .addMethod(tangent)
        .build();
  }

  /**
   * The referenced method's parameter names, as its gradient's accessors name them; {@code p1},
   * {@code p2}... when one of them would clash with the names the methods above add.
   */
  private static List<String> parameterNames(Callee.Differentiable target) {
    List<String> names = target.differentiated();
    Set<String> all = new HashSet<>(names);
    names.forEach(name -> all.add("d" + name));
    boolean clash = all.size() != 2 * names.size() || all.contains("seed") || all.contains("gradient");
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      chosen.add(clash ? "p" + (i + 1) : names.get(i));
    }
    return chosen;
  }

  private static List<ParameterSpec> specs(List<Type> types, List<String> names) {
    List<ParameterSpec> specs = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      specs.add(ParameterSpec.builder(types.get(i).typeName(), names.get(i)).build());
    }
    return specs;
  }
}
