"""Serializers for the Wagtail API v2 fields of the page models."""

from rest_framework import serializers


class DisciplineSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class LanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ServiceSerializer(serializers.Serializer):
    name = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    price = serializers.DecimalField(max_digits=8, decimal_places=2)
    mode = serializers.CharField()
    description = serializers.CharField()


class CertificationSerializer(serializers.Serializer):
    name = serializers.CharField()
    issuer = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
